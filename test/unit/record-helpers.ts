import type { DeckEvent } from '../../src/engine/events';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader } from '../../src/record/format';
import { ScenarioSchema, type Scenario } from '../../src/scenario/schema';

// Shared by the record-* and report-* tests: a small scenario and a run through
// it with latency, breaker, status and command events at known times.

export const scenario: Scenario = ScenarioSchema.parse({
  id: 'cache-outage',
  title: 'Cache outage',
  hypothesis: 'When the cache goes away, the API falls back to the database and stays under 500 ms.',
  steps: [
    { phase: 'baseline', title: 'Normal traffic' },
    { phase: 'inject', title: 'Stop the cache', run: [{ verb: 'stop', target: 'cache' }] },
    { phase: 'observe', title: 'Watch the fallback' },
    { phase: 'restore', title: 'Bring it back' },
  ],
  criteria: [
    { name: 'p95 under 500 ms during impact', measure: 'p95', window: 'impact', aggregate: 'max', tolerance: { lt: 500 } },
    { name: 'errors under 5 %', measure: 'errorRate', window: 'run', aggregate: 'max', tolerance: { lt: 0.05 } },
    { name: 'recovers within 30 s', measure: 'recovery', tolerance: { lte: 30 } },
  ],
});

export const header: RecordingHeader = {
  format: RECORDING_FORMAT,
  version: RECORDING_VERSION,
  runId: 'cache-outage-test',
  scenario: { id: scenario.id, title: scenario.title },
  environment: { name: 'lab', isLab: true },
  mode: 'live',
  terminal: { columns: 100, rows: 30 },
  chaosdeckVersion: '0.0.0-test',
  startedAt: '2026-01-01T10:00:00.000Z',
};

const latency = (t: number, p50: number, p95: number, errorRate: number, rps: number): DeckEvent =>
  ({ t, type: 'latency', source: 'load', p50, p95, p99: p95 * 1.5, rps, errorRate });

/**
 * A run: baseline 0–10 s (p95 40, 0 % errors, 100 rps), inject at 10 s (p95 300,
 * 2 % errors, 80 rps), undo at 30 s, recovered samples from 32 s (p95 45).
 */
export function sampleRun(): DeckEvent[] {
  const events: DeckEvent[] = [
    { t: 0, type: 'run.started', runId: header.runId, scenario, environment: { name: 'lab', isLab: true }, mode: 'live', isAuto: true, startedAt: header.startedAt },
    { t: 1, type: 'step.entered', index: 0, phase: 'baseline' },
    { t: 2, type: 'status', source: 'lab', targets: [{ name: 'api-1', state: 'running', isReady: true, restarts: 0 }, { name: 'cache', state: 'running', isReady: true, restarts: 0 }] },
    { t: 3, type: 'breaker', source: 'lab', name: 'backendCB', state: 'CLOSED' },
  ];
  for (let s = 1; s <= 9; s++) events.push(latency(s * 1000, 10, 40, 0, 100));
  events.push(
    { t: 9_500, type: 'step.finished', index: 0, status: 'done' },
    { t: 10_000, type: 'step.entered', index: 1, phase: 'inject' },
    { t: 10_010, type: 'action.started', actionId: 'a1', step: 1, target: 'cache', verb: 'stop', driver: 'lab', summary: 'stop cache', isProbe: false },
    { t: 10_020, type: 'rollback.registered', undoId: 'u1', actionId: 'a1', summary: 'start cache', isFault: true },
    { t: 10_030, type: 'command.started', actionId: 'a1', commandId: 'c1', argv: ['lab', 'stop', 'cache'], display: 'lab stop cache', isShell: false, isDryRun: false },
    { t: 10_040, type: 'command.output', commandId: 'c1', stream: 'stdout', lines: ['cache stopped'] },
    { t: 10_250, type: 'command.finished', commandId: 'c1', exitCode: 0, signal: null, durationMs: 220, isTimedOut: false, isCanceled: false },
    { t: 10_260, type: 'action.finished', actionId: 'a1', status: 'ok', durationMs: 250 },
    { t: 10_300, type: 'step.finished', index: 1, status: 'done' },
    { t: 10_400, type: 'log.lines', source: 'api-1', lines: [{ text: 'cache miss, falling back to db' }], dropped: 0 },
  );
  for (let s = 11; s <= 29; s++) events.push(latency(s * 1000, 120, 300, 0.02, 80));
  events.push(
    { t: 12_000, type: 'breaker', source: 'lab', name: 'backendCB', state: 'OPEN', failureRate: 60 },
    { t: 20_000, type: 'step.entered', index: 2, phase: 'observe' },
    { t: 22_000, type: 'breaker', source: 'lab', name: 'backendCB', state: 'HALF_OPEN' },
    { t: 24_000, type: 'status', source: 'lab', targets: [{ name: 'api-1', state: 'running', isReady: true, restarts: 1 }] },
    { t: 25_000, type: 'breaker', source: 'lab', name: 'backendCB', state: 'CLOSED' },
    { t: 30_000, type: 'step.entered', index: 3, phase: 'restore' },
    { t: 30_010, type: 'rollback.started', undoId: 'u1', summary: 'start cache' },
    { t: 30_020, type: 'action.started', actionId: 'a2', step: null, target: 'cache', verb: 'undo start', driver: 'lab', summary: 'start cache', isProbe: false },
    { t: 30_500, type: 'action.finished', actionId: 'a2', status: 'ok', durationMs: 480 },
    { t: 30_510, type: 'rollback.finished', undoId: 'u1', isOk: true },
  );
  for (let s = 32; s <= 40; s++) events.push(latency(s * 1000, 11, 45, 0, 100));
  events.push(
    { t: 40_500, type: 'step.finished', index: 3, status: 'done' },
    { t: 41_000, type: 'verdict', outcome: 'PASS', isDeviated: false, criteria: [] },
    { t: 41_001, type: 'run.finished', status: 'completed', exitCode: 0, pendingFaults: 0 },
  );
  return events.sort((a, b) => a.t - b.t);
}

/** A recording's text: the header line and one line per event. */
export function recordingText(events: readonly DeckEvent[], head: RecordingHeader = header): string {
  return [JSON.stringify(head), ...events.map((e) => JSON.stringify(e))].join('\n') + '\n';
}
