import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { buildCtkJournal, CtkJournalSchema } from '../../src/report/ctk-journal';
import { renderReportMarkdown } from '../../src/report/markdown';
import { summarizeRun } from '../../src/report/summary';
import { CtkJournalFileSchema } from '../../src/scenario/ctk/journal';
import { sampleRun } from './record-helpers';

// Report figures come from the events: each window's averages are recomputed
// here straight from the latency events and must match what the report says.

type Latency = Extract<DeckEvent, { type: 'latency' }>;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function latencyBetween(events: DeckEvent[], from: number, to: number): Latency[] {
  return events.filter((e): e is Latency => e.type === 'latency' && e.t >= from && e.t < to);
}

describe('summarizeRun', () => {
  const events = sampleRun();
  const summary = summarizeRun(events);
  const at = (type: DeckEvent['type'], predicate: (e: DeckEvent) => boolean = () => true) => events.find((e) => e.type === type && predicate(e))!.t;
  const injectAt = at('step.entered', (e) => e.type === 'step.entered' && e.phase === 'inject');
  const restoreAt = at('step.entered', (e) => e.type === 'step.entered' && e.phase === 'restore');

  it.each([
    ['baseline', () => latencyBetween(events, 0, injectAt)],
    ['impact', () => latencyBetween(events, injectAt, restoreAt)],
    ['recovery', () => latencyBetween(events, restoreAt, Infinity)],
  ] as const)('%s figures are the averages of that window\'s latency events', (window, samples) => {
    const expected = samples();
    const figures = summary.figures.find((f) => f.window === window)!;
    expect(figures.samples).toBe(expected.length);
    expect(figures.p50).toBeCloseTo(mean(expected.map((e) => e.p50)), 9);
    expect(figures.p95).toBeCloseTo(mean(expected.map((e) => e.p95)), 9);
    expect(figures.p95Max).toBe(Math.max(...expected.map((e) => e.p95)));
    expect(figures.errorRate).toBeCloseTo(mean(expected.map((e) => e.errorRate)), 9);
    expect(figures.throughput).toBeCloseTo(mean(expected.map((e) => e.rps)), 9);
  });

  it('measures recovery from the first undo to the first healthy sample', () => {
    const firstHealthy = latencyBetween(events, restoreAt, Infinity)[0]!;
    expect(summary.recoverySeconds).toBeCloseTo((firstHealthy.t - restoreAt) / 1000, 9);
  });

  it('evaluates each criterion against the events', () => {
    const impactMax = Math.max(...latencyBetween(events, injectAt, restoreAt).map((e) => e.p95));
    const errorMax = Math.max(...latencyBetween(events, 0, Infinity).map((e) => e.errorRate));
    expect(summary.criteria).toEqual([
      { name: 'p95 under 500 ms during impact', threshold: '< 500 ms', observed: `${impactMax} ms`, isOk: true },
      { name: 'errors under 5 %', threshold: '< 5 %', observed: `${(errorMax * 100).toFixed(1)} %`, isOk: true },
      { name: 'recovers within 30 s', threshold: '≤ 30 s', observed: `${summary.recoverySeconds} s`, isOk: true },
    ]);
    expect(summary.outcome).toBe('PASS');
  });

  it('lists breaker transitions, restarts, and faults left', () => {
    expect(summary.breakerTransitions.map((b) => `${b.from}→${b.to}`)).toEqual(['CLOSED→OPEN', 'OPEN→HALF_OPEN', 'HALF_OPEN→CLOSED']);
    expect(summary.restarts).toEqual([{ t: 24_000, target: 'api-1', from: 0, to: 1 }]);
    expect(summary.faultsLeft).toEqual([]);
    const unfinished = summarizeRun(events.filter((e) => e.type !== 'rollback.finished'));
    expect(unfinished.faultsLeft.map((f) => f.summary)).toEqual(['start cache']);
  });

  it('calls a run cut short interrupted, with no verdict, and fails a criterion it cannot prove', () => {
    const cut = summarizeRun(events.filter((e) => e.t < 20_000));
    expect(cut).toMatchObject({ status: 'interrupted', isFinished: false, outcome: null });
    expect(cut.criteria.find((c) => c.name === 'recovers within 30 s')).toMatchObject({ observed: 'not recovered', isOk: false });
  });

  it('renders the verdict table, figures, commands with exit codes, breakers and restarts in report.md', () => {
    const markdown = renderReportMarkdown(summary);
    expect(markdown).toContain('| p95 under 500 ms during impact | < 500 ms | 300 ms | PASS |');
    expect(markdown).toMatch(/\| impact \| 10\.0 s – 30\.0 s \| 120 ms \| 300 ms \| 300 ms \| 2\.00 % \| 80\.0 req\/s \| 19 \|/);
    expect(markdown).toContain('`$ lab stop cache` → exit 0, 220 ms');
    expect(markdown).toContain('| 12.0 s | backendCB | CLOSED | OPEN |');
    expect(markdown).toContain('| 24.0 s | api-1 | 0 | 1 |');
    expect(markdown).toContain('None: every fault the run injected was undone.');
    expect(markdown).toContain(`Recovery time (first undo until p95 and errors are back near the baseline): **${summary.recoverySeconds!.toFixed(1)} s**`);
  });
});

describe('buildCtkJournal', () => {
  it('builds a Chaos Toolkit journal: status, run[], rollbacks[] with outputs and times', () => {
    const journal = CtkJournalSchema.parse(buildCtkJournal(sampleRun(), { chaosdeckVersion: '1.2.3', node: 'test-host' }));
    expect(journal).toMatchObject({ status: 'completed', deviated: false, node: 'test-host', 'chaoslib-version': 'chaosdeck 1.2.3', start: '2026-01-01T10:00:00.000Z' });
    expect(journal.duration).toBeCloseTo(41.001, 6);
    expect(journal.run).toHaveLength(1);
    expect(journal.run[0]).toMatchObject({
      activity: { type: 'action', name: 'stop cache' }, status: 'succeeded', start: '2026-01-01T10:00:10.010Z', duration: 0.25,
      output: { status: 0, stdout: 'cache stopped', stderr: '' },
    });
    expect(journal.rollbacks.map((r) => [r.activity.name, r.status])).toEqual([['start cache', 'succeeded']]);
    expect(journal.steady_states.before).toBeNull();
    // The Chaos Toolkit importer's reader, written from chaoslib's own journals, accepts it too.
    expect(CtkJournalFileSchema.safeParse(journal).success).toBe(true);
  });

  it('reports failed activities with their exception and the steady state before/after', () => {
    const events = sampleRun().map((e): DeckEvent => (e.type === 'action.finished' && e.actionId === 'a1' ? { ...e, status: 'failed', error: 'cache would not stop' } : e));
    const last = events.pop()!;
    events.push(
      { t: 40_600, type: 'check', checkId: 'steady-after-0', kind: 'steady-state', step: null, label: 'api healthy (after)', status: 'pending' },
      { t: 40_700, type: 'check', checkId: 'steady-after-0', kind: 'steady-state', step: null, label: 'api healthy (after)', status: 'missed', observed: 'p95 = 900' },
      { ...last, status: 'failed', exitCode: 1 } as DeckEvent,
    );
    const journal = CtkJournalSchema.parse(buildCtkJournal(events, { chaosdeckVersion: 'x' }));
    expect(journal.status).toBe('failed');
    expect(journal.run[0]).toMatchObject({ status: 'failed', exception: ['cache would not stop'] });
    expect(journal.steady_states.after).toMatchObject({ steady_state_met: false, probes: [{ tolerance_met: false, output: 'p95 = 900' }] });
  });
});
