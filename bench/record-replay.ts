import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeckFrameRenderer } from '../src/cli/commands/export';
import type { DeckEvent } from '../src/engine/events';
import { createRedactor } from '../src/engine/redact';
import { createViewStore } from '../src/engine/store';
import { openRecording } from '../src/record/open';
import { createRecorder } from '../src/record/recorder';
import { createReplayController } from '../src/record/replay-controller';
import { ScenarioSchema } from '../src/scenario/schema';
import { ASCII_GLYPHS } from '../src/ui/theme/glyphs';
import { loadTheme } from '../src/ui/theme/load';
import { percentile, type Benchmark } from './harness';

// A one-hour recording of a busy lab run (~500,000 events: log batches from
// three services, Prometheus samples, latency, status and breaker every
// second, the four steps with their commands), written by the real recorder.
// Replay must show its first frame within 1 s of opening it, and seek
// anywhere in under 100 ms.

const HOUR_MS = 3_600_000;
const TERMINAL = { columns: 120, rows: 36 };

const scenario = ScenarioSchema.parse({
  id: 'hour-long', title: 'An hour of cache trouble', hypothesis: 'The API survives an hour of a flapping cache.',
  steps: [
    { phase: 'baseline', title: 'Normal traffic', notes: '# Baseline\nMeasure normal.' },
    { phase: 'inject', title: 'Flap the cache', run: [{ verb: 'stop', target: 'cache' }] },
    { phase: 'observe', title: 'Watch the breaker' },
    { phase: 'restore', title: 'Bring it back' },
  ],
});

/** Writes the hour through the recorder; returns the file and how many events it holds. */
function writeHour(dir: string): { file: string; events: number } {
  const recorder = createRecorder({ target: join(dir, 'hour.jsonl'), cwd: dir, terminal: TERMINAL, chaosdeckVersion: 'bench', redact: createRedactor() });
  let events = 0;
  let pending: DeckEvent[] = [];
  // Events of one second are made per kind, then written in time order as the bus would have stamped them.
  const emit = (event: DeckEvent) => pending.push(event);
  const flush = () => {
    for (const event of pending.sort((a, b) => a.t - b.t)) recorder.sink(event);
    events += pending.length;
    pending = [];
  };
  emit({ t: 0, type: 'run.started', runId: 'hour', scenario, environment: { name: 'lab', isLab: true }, mode: 'live', isAuto: true, startedAt: '2026-11-23T09:00:00.000Z' });
  const services = ['api-1', 'api-2', 'edge'];
  for (let second = 0; second < 3_600; second++) {
    const base = second * 1_000;
    if (second % 900 === 0) {
      const index = second / 900;
      emit({ t: base, type: 'step.entered', index, phase: scenario.steps[index]!.phase });
      emit({ t: base + 1, type: 'action.started', actionId: `a${index}`, step: index, target: 'cache', verb: 'stop', driver: 'lab', summary: 'stop cache', isProbe: false });
      emit({ t: base + 2, type: 'command.started', actionId: `a${index}`, commandId: `c${index}`, argv: ['lab', 'stop', 'cache'], display: 'POST /services/cache/stop', isShell: false, isDryRun: false });
      emit({ t: base + 3, type: 'command.finished', commandId: `c${index}`, exitCode: 0, signal: null, durationMs: 2, isTimedOut: false, isCanceled: false });
      emit({ t: base + 4, type: 'action.finished', actionId: `a${index}`, status: 'ok', durationMs: 4 });
    }
    const isTrouble = second > 900 && second < 2_700;
    for (let batch = 0; batch < 30; batch++) {
      const service = services[batch % 3]!;
      emit({ t: base + 5 + batch * 33, type: 'log.lines', source: service, dropped: 0, lines: [
        { ts: Date.UTC(2026, 10, 23, 9) + base + batch * 33, text: `${service} GET /products/${(second * 7 + batch) % 500} 200 ${10 + (batch % 40)} ms` },
        { text: isTrouble && batch % 5 === 0 ? 'backendCB: call not permitted, breaker OPEN' : `cache hit ratio 0.${(second + batch) % 100}` },
        { text: `backendRetry: attempt ${1 + (batch % 3)} ok` },
      ] });
    }
    for (let m = 0; m < 104; m++) {
      emit({ t: base + 6 + m * 9, type: 'metric', source: 'prometheus', name: `http_requests_total`, value: second * 100 + m, labels: { service: services[m % 3]!, route: `/r${m % 35}` } });
    }
    emit({ t: base + 990, type: 'latency', source: 'load', p50: isTrouble ? 140 : 12, p95: isTrouble ? 420 : 40, p99: isTrouble ? 900 : 80, rps: 100, errorRate: isTrouble ? 0.03 : 0 });
    emit({ t: base + 991, type: 'status', source: 'lab', targets: services.map((name) => ({ name, state: 'running', isReady: true, restarts: Math.floor(second / 600) })) });
    emit({ t: base + 992, type: 'breaker', source: 'lab', name: 'backendCB', state: isTrouble && second % 60 < 20 ? 'OPEN' : 'CLOSED' });
    flush();
  }
  emit({ t: HOUR_MS, type: 'run.finished', status: 'completed', exitCode: 0, pendingFaults: 0 });
  flush();
  recorder.close();
  return { file: recorder.path()!, events };
}

interface Prepared {
  readonly dir: string;
  readonly file: string;
  readonly events: number;
}

let prepared: Prepared | null = null;
function hour(): Prepared {
  if (!prepared) {
    const dir = mkdtempSync(join(tmpdir(), 'chaosdeck-bench-'));
    prepared = { dir, ...writeHour(dir) };
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return prepared;
}

async function look() {
  return { theme: await loadTheme('dark', join(import.meta.dirname, '..', 'themes')), glyphs: ASCII_GLYPHS };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'record: open a one-hour recording (~500,000 events) to its first deck frame',
    unit: 'ms',
    budget: 1_000,
    async run() {
      const { file, events } = hour();
      const deckLook = await look();
      // Cold: nothing of the reader, the index or the deck has run in this process before.
      const started = performance.now();
      const opened = await openRecording(file);
      const store = createViewStore();
      const replay = createReplayController({ timeline: opened.timeline, store, isLoading: true });
      const renderer = createDeckFrameRenderer(deckLook, opened.header.terminal);
      const frame = await renderer.draw(store.getSnapshot());
      const value = performance.now() - started;
      const { problem } = await opened.loaded;
      const indexed = performance.now() - started;
      await renderer.close();
      replay.close();
      if (problem) throw new Error(`the generated recording does not read: ${problem.message}`);
      if (!frame.join('\n').includes('REPLAY')) throw new Error('the first frame is not the deck');
      const size = statSync(file).size / 1e6;
      return { value, note: `${events} events, ${size.toFixed(0)} MB; all indexed after ${indexed.toFixed(0)} ms` };
    },
  },
  {
    name: 'record: seek anywhere in a one-hour recording (p95 of 200 random seeks, state and frame)',
    unit: 'ms',
    budget: 100,
    async run() {
      const { file } = hour();
      const opened = await openRecording(file);
      await opened.loaded;
      const store = createViewStore();
      const replay = createReplayController({ timeline: opened.timeline, store });
      const renderer = createDeckFrameRenderer(await look(), opened.header.terminal);
      await renderer.draw(store.getSnapshot());
      const seeks: number[] = [];
      const stateOnly: number[] = [];
      let seed = 42;
      const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
      for (let i = 0; i < 200; i++) {
        const target = random() * HOUR_MS;
        const started = performance.now();
        replay.seekTo(target);
        stateOnly.push(performance.now() - started);
        await renderer.draw(store.getSnapshot());
        seeks.push(performance.now() - started);
      }
      await renderer.close();
      replay.close();
      return { value: percentile(seeks, 95), note: `max ${Math.max(...seeks).toFixed(1)} ms; state alone p95 ${percentile(stateOnly, 95).toFixed(1)} ms, max ${Math.max(...stateOnly).toFixed(1)} ms` };
    },
  },
];
