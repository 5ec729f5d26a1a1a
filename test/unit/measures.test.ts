import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { evaluateCriteria, Measurements } from '../../src/engine/measures';
import { CriterionSchema } from '../../src/scenario/schema';

// A run in numbers: baseline p95 20 ms, a fault at 10 s makes it 400 ms with
// 30 % errors, the undo at 20 s, back to normal from 23 s.
function run(): Measurements {
  const m = new Measurements();
  const events: DeckEvent[] = [
    { type: 'step.entered', t: 0, index: 0, phase: 'baseline' },
    { type: 'step.entered', t: 10_000, index: 1, phase: 'inject' },
    { type: 'step.entered', t: 15_000, index: 2, phase: 'observe' },
    { type: 'rollback.started', t: 20_000, undoId: 'u', summary: 's' },
    { type: 'step.entered', t: 20_000, index: 3, phase: 'restore' },
  ];
  for (let s = 1; s < 30; s++) {
    const t = s * 1_000;
    const isImpact = t >= 10_000 && t < 23_000;
    events.push({ type: 'latency', t, source: 'load', p50: isImpact ? 200 : 10, p95: isImpact ? 400 : 20, p99: isImpact ? 500 : 30, rps: 100, errorRate: isImpact ? 0.3 : 0 });
  }
  events.push({ type: 'metric', t: 12_000, source: 'lab', name: 'fallback_ratio', value: 0.9 });
  events.push({ type: 'status', t: 1_000, source: 'lab', targets: [{ name: 'api-1', state: 'running', isReady: true, restarts: 2 }] });
  events.push({ type: 'status', t: 15_000, source: 'lab', targets: [{ name: 'api-1', state: 'running', isReady: true, restarts: 3 }] });
  events.sort((a, b) => a.t - b.t).forEach((e) => m.observe(e));
  return m;
}

const criterion = (c: Record<string, unknown>) => CriterionSchema.parse({ name: 'c', ...c });

describe('measurements', () => {
  it.each<[string, Record<string, unknown>, number | undefined]>([
    ['baseline p95 max', { measure: 'p95', window: 'baseline', tolerance: { lt: 1 } }, 20],
    ['impact p95 max', { measure: 'p95', window: 'impact', tolerance: { lt: 1 } }, 400],
    ['error rate over the impact window, averaged', { measure: 'errorRate', window: 'impact', aggregate: 'avg', tolerance: { lt: 1 } }, 0.3],
    ['recovery counts from the first undo', { measure: 'recovery', tolerance: { lt: 1 } }, 3],
    ['latency increase is impact p95 over baseline p95', { measure: 'latencyIncrease', tolerance: { lt: 1 } }, 20],
    ['restarts during the run', { measure: 'restarts', tolerance: { lt: 1 } }, 1],
    ['a named metric', { measure: 'fallback_ratio', tolerance: { lt: 1 } }, 0.9],
    ['nothing measured', { measure: 'nope', tolerance: { lt: 1 } }, undefined],
  ])('%s', (_, c, expected) => {
    const value = run().measure(criterion(c));
    if (expected === undefined) expect(value).toBeUndefined();
    else expect(value).toBeCloseTo(expected, 9);
  });

  it('judges criteria and says what was seen against what was wanted', () => {
    const results = evaluateCriteria([
      criterion({ name: 'error rate < 1 %', measure: 'errorRate', window: 'baseline', tolerance: { lt: 0.01 } }),
      criterion({ name: 'p95 < 500 ms', measure: 'p95', window: 'impact', tolerance: { lt: 500 } }),
      criterion({ name: 'recovery < 2 s', measure: 'recovery', tolerance: { lt: 2 } }),
      criterion({ name: 'no data fails', measure: 'nope', tolerance: { lt: 1 } }),
    ], run());
    expect(results).toEqual([
      { name: 'error rate < 1 %', threshold: '< 1 %', observed: '0.0 %', isOk: true },
      { name: 'p95 < 500 ms', threshold: '< 500 ms', observed: '400 ms', isOk: true },
      { name: 'recovery < 2 s', threshold: '< 2 s', observed: '3 s', isOk: false },
      { name: 'no data fails', threshold: '< 1', observed: 'no data', isOk: false },
    ]);
  });
});
