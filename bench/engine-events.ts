import { reduce } from '../src/engine/reducer';
import { createRedactor } from '../src/engine/redact';
import { initialViewState, type ViewState } from '../src/engine/view-state';
import type { DeckEvent } from '../src/engine/events';
import type { Benchmark } from './harness';

// The engine's hot path: folding log batches into the view state and masking
// secrets on the way. At 50,000 lines/s this must stay a small share of a core.

function logBatches(lines: number, perBatch: number): DeckEvent[] {
  const out: DeckEvent[] = [];
  for (let i = 0; i < lines; i += perBatch) {
    out.push({
      type: 'log.lines', t: i, source: `api-${(i / perBatch) % 2}`, dropped: 0,
      lines: Array.from({ length: perBatch }, (_, j) => ({ text: `2026-11-23T01:00:00Z INFO request ${i + j} GET /products 200 ${j % 40} ms` })),
    });
  }
  return out;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'engine: fold 50,000 log lines (batches of 2,500) into the view state',
    unit: 'ms',
    budget: 60,
    async run() {
      const events = logBatches(50_000, 2_500);
      let state: ViewState = initialViewState;
      for (let round = 0; round < 3; round++) for (const e of events) state = reduce(state, e);
      const started = performance.now();
      state = initialViewState;
      for (const e of events) state = reduce(state, e);
      return { value: performance.now() - started, note: `${state.logs.lines.length} kept, ${state.logs.dropped} dropped` };
    },
  },
  {
    name: 'engine: redact 50,000 ordinary log lines',
    unit: 'ms',
    budget: 100,
    async run() {
      const redact = createRedactor(['s3cr3t-value']);
      const lines = logBatches(50_000, 2_500).flatMap((e) => (e.type === 'log.lines' ? e.lines.map((l) => l.text) : []));
      for (const l of lines.slice(0, 5_000)) redact(l);
      const started = performance.now();
      let kept = 0;
      for (const l of lines) kept += redact(l).length;
      return { value: performance.now() - started, note: `${kept} chars` };
    },
  },
];
