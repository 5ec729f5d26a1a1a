import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { reduce, reduceAll } from '../../src/engine/reducer';
import { initialViewState, LIMITS, type ViewState } from '../../src/engine/view-state';
import { ScenarioSchema } from '../../src/scenario/schema';

const scenario = ScenarioSchema.parse({
  id: 'r', title: 'Reducer', hypothesis: 'h',
  steps: [{ phase: 'baseline', title: 'a' }, { phase: 'inject', title: 'b' }, { phase: 'restore', title: 'c' }],
});
const started: DeckEvent = { type: 'run.started', t: 0, runId: 'r1', scenario, environment: { name: 'lab', isLab: true }, mode: 'live', isAuto: false, startedAt: '2026-11-23T00:00:00Z' };
const base = reduce(initialViewState, started);

describe('reducer', () => {
  it.each<[string, DeckEvent[], (s: ViewState) => unknown, unknown]>([
    ['run.started resets and lists the steps', [], (s) => [s.status, s.steps.map((x) => x.progress)], ['running', ['pending', 'pending', 'pending']]],
    ['step.entered makes one step current', [{ type: 'step.entered', t: 1, index: 1, phase: 'inject' }], (s) => [s.currentStep, s.phase, s.steps[1]!.progress], [1, 'inject', 'current']],
    ['going back leaves the later step pending', [{ type: 'step.entered', t: 1, index: 1, phase: 'inject' }, { type: 'step.entered', t: 2, index: 0, phase: 'baseline' }], (s) => s.steps.map((x) => x.progress), ['current', 'pending', 'pending']],
    ['step.finished records the outcome', [{ type: 'step.finished', t: 1, index: 0, status: 'failed' }], (s) => s.steps[0]!.progress, 'failed'],
    ['a registered undo is a pending fault and an inject marker', [{ type: 'rollback.registered', t: 5, undoId: 'u1', actionId: 'a1', summary: 'start api-2', isFault: true }], (s) => [s.pendingFaults.length, s.markers[0]?.kind], [1, 'inject']],
    ['a finished undo clears the fault and marks the restore', [{ type: 'rollback.registered', t: 5, undoId: 'u1', actionId: 'a1', summary: 's', isFault: true }, { type: 'rollback.finished', t: 9, undoId: 'u1', isOk: true }], (s) => [s.pendingFaults.length, s.markers.map((m) => m.kind)], [0, ['inject', 'restore']]],
    ['a failed undo keeps the fault', [{ type: 'rollback.registered', t: 5, undoId: 'u1', actionId: 'a1', summary: 's', isFault: true }, { type: 'rollback.finished', t: 9, undoId: 'u1', isOk: false, error: 'x' }], (s) => s.pendingFaults.length, 1],
    ['commands nest under their action with output and exit', [
      { type: 'action.started', t: 1, actionId: 'a1', step: 1, target: 'api', verb: 'stop', driver: 'lab', summary: 'stop api', isProbe: false },
      { type: 'command.started', t: 1, actionId: 'a1', commandId: 'c1', argv: ['x'], display: 'x', isShell: false, isDryRun: false },
      { type: 'command.output', t: 2, commandId: 'c1', stream: 'stdout', lines: ['one', 'two'] },
      { type: 'command.finished', t: 3, commandId: 'c1', exitCode: 0, signal: null, durationMs: 2, isTimedOut: false, isCanceled: false },
      { type: 'action.finished', t: 3, actionId: 'a1', status: 'ok', durationMs: 2 },
    ], (s) => [s.actions[0]!.status, s.actions[0]!.commands[0]!.output.map((o) => o.text), s.actions[0]!.commands[0]!.exitCode, s.actions[0]!.commands[0]!.isRunning], ['ok', ['one', 'two'], 0, false]],
    ['status changes stamp changedAt; unchanged keeps it', [
      { type: 'status', t: 1, source: 'lab', targets: [{ name: 'api-2', state: 'running', isReady: true, restarts: 0 }] },
      { type: 'status', t: 2, source: 'lab', targets: [{ name: 'api-2', state: 'running', isReady: true, restarts: 0 }] },
      { type: 'status', t: 3, source: 'lab', targets: [{ name: 'api-1', state: 'running', isReady: true, restarts: 0 }] },
    ], (s) => s.targets.map((t) => [t.name, t.changedAt]), [['api-2', 1], ['api-1', 3]]],
    ['breaker transitions are kept in order', [
      { type: 'breaker', t: 1, source: 'lab', name: 'backendCB', state: 'CLOSED' },
      { type: 'breaker', t: 2, source: 'lab', name: 'backendCB', state: 'OPEN', failureRate: 80 },
      { type: 'breaker', t: 3, source: 'lab', name: 'backendCB', state: 'HALF_OPEN' },
      { type: 'breaker', t: 4, source: 'lab', name: 'backendCB', state: 'HALF_OPEN' },
    ], (s) => [s.breakers[0]!.state, s.breakers[0]!.since, s.breakers[0]!.transitions.map((x) => `${x.from}>${x.to}`), s.breakers[0]!.failureRate], ['HALF_OPEN', 3, ['CLOSED>OPEN', 'OPEN>HALF_OPEN'], 80]],
    ['metrics are keyed by name and labels', [
      { type: 'metric', t: 1, source: 'lab', name: 'hits', value: 1, labels: { svc: 'a' } },
      { type: 'metric', t: 2, source: 'lab', name: 'hits', value: 2, labels: { svc: 'a' } },
      { type: 'metric', t: 2, source: 'lab', name: 'hits', value: 7, labels: { svc: 'b' } },
    ], (s) => s.metrics.map((m) => m.value), [2, 7]],
    ['checks update in place', [
      { type: 'check', t: 1, checkId: 'x', kind: 'expect', step: 1, label: 'l', status: 'pending' },
      { type: 'check', t: 2, checkId: 'x', kind: 'expect', step: 1, label: 'l', status: 'met', observed: 'ok' },
    ], (s) => s.checks.map((c) => c.status), ['met']],
    ['halted sets the banner and a marker', [{ type: 'halted', t: 4, reason: 'presenter' }], (s) => [s.halted?.reason, s.markers.at(-1)?.kind], ['presenter', 'halt']],
    ['run.finished records status and exit code', [{ type: 'run.finished', t: 9, status: 'interrupted', exitCode: 3, pendingFaults: 0 }], (s) => [s.status, s.exitCode, s.t], ['interrupted', 3, 9]],
  ])('%s', (_, events, select, expected) => {
    expect(select(reduceAll(events, base))).toEqual(expected);
  });

  it('bounds the log buffer and counts what it dropped', () => {
    const batch = (t: number, n: number): DeckEvent => ({ type: 'log.lines', t, source: 'api', dropped: 3, lines: Array.from({ length: n }, (_, i) => ({ text: `${t}-${i}` })) });
    const state = reduceAll([batch(1, LIMITS.logLines), batch(2, 10)], base);
    expect(state.logs.lines).toHaveLength(LIMITS.logLines);
    expect(state.logs.lines.at(-1)!.text).toBe('2-9');
    expect(state.logs.dropped).toBe(10 + 6);
    expect(state.logs.total).toBe(LIMITS.logLines + 10 + 6);
  });

  it('never modifies the state it is given', () => {
    const frozen = structuredClone(base);
    reduce(base, { type: 'step.entered', t: 1, index: 2, phase: 'restore' });
    expect(base).toEqual(frozen);
  });
});
