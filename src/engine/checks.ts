import type { Check } from '../scenario/schema';
import { describeTolerance, withinTolerance } from './tolerance';
import type { ViewState } from './view-state';

// Expectations, steady-state checks and `wait until` conditions look at what
// the deck already shows: the latest latency sample, the status table, the
// breakers, the log tail since the step began. Probe checks need a driver and
// are run by the engine instead.

/** A check's state at one moment. */
export interface CheckReading {
  readonly isMet: boolean;
  /** What was seen, for the ✓/✗ line and the report. */
  readonly observed: string;
  readonly expected: string;
}

const LATENCY_FIELDS = new Set(['p50', 'p95', 'p99', 'rps', 'errorRate']);

/** Reads a non-probe check against the view state; `since` is the run time the step began. */
export function readCheck(check: Exclude<Check, { probe: unknown }>, state: ViewState, since: number): CheckReading {
  if ('metric' in check) {
    const expected = `${check.metric} ${describeTolerance(check.tolerance)}`;
    const value = metricValue(check, state, since);
    if (value === undefined) return { isMet: false, observed: 'no data yet', expected };
    return { isMet: withinTolerance(check.tolerance, value), observed: `${check.metric} = ${round(value)}`, expected };
  }
  if ('status' in check) {
    const matches = state.targets.filter((t) => t.name === check.status || t.key === check.status || t.name.startsWith(`${check.status}-`));
    const expectedParts = [check.state && `state ${check.state}`, check.ready !== undefined && (check.ready ? 'ready' : 'not ready'), check.restarts && `restarts ${describeTolerance(check.restarts)}`].filter(Boolean);
    const expected = `${check.status}: ${expectedParts.join(', ') || 'present'}`;
    if (matches.length === 0) return { isMet: false, observed: `${check.status}: not seen`, expected };
    const isMet = matches.some((t) =>
      (check.state === undefined || t.state.toLowerCase() === check.state.toLowerCase()) &&
      (check.ready === undefined || t.isReady === check.ready) &&
      (check.restarts === undefined || withinTolerance(check.restarts, t.restarts)));
    const observed = matches.map((t) => `${t.name} ${t.state}${t.isReady ? ' ready' : ''} ↻${t.restarts}`).join(', ');
    return { isMet, observed, expected };
  }
  if ('breaker' in check) {
    const breaker = state.breakers.find((b) => b.name === check.breaker);
    const expected = `${check.breaker} ${check.state}`;
    // A transition through the state since the step began counts: OPEN for a moment is what the room saw.
    const passed = breaker?.transitions.some((tr) => tr.t >= since && tr.to === check.state) ?? false;
    return { isMet: breaker?.state === check.state || passed, observed: breaker ? `${check.breaker} ${breaker.state}` : `${check.breaker} not seen`, expected };
  }
  if ('log' in check) {
    const pattern = new RegExp(check.log, 'i');
    const hit = findLast(state.logs.lines, (l) => l.t >= since && (check.source === undefined || l.source === check.source) && pattern.test(l.text));
    return { isMet: hit !== undefined, observed: hit ? `${hit.source}: ${hit.text.slice(0, 80)}` : 'no matching line yet', expected: `log /${check.log}/` };
  }
  const alert = state.alerts.find((a) => a.name === check.alert);
  return { isMet: alert?.state === check.state, observed: alert ? `${alert.name} ${alert.state}` : `${check.alert} not seen`, expected: `${check.alert} ${check.state}` };
}

function metricValue(check: Extract<Check, { metric: string }>, state: ViewState, since: number): number | undefined {
  if (LATENCY_FIELDS.has(check.metric)) {
    const sample = findLast(state.latency.samples, (s) => s.t >= since);
    return sample?.[check.metric as 'p50' | 'p95' | 'p99' | 'rps' | 'errorRate'];
  }
  const metric = findLast(state.metrics, (m) =>
    m.name === check.metric &&
    (check.source === undefined || m.source === check.source) &&
    Object.entries(check.labels ?? {}).every(([k, v]) => m.labels?.[k] === v));
  return metric?.value;
}

function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return items[i];
  return undefined;
}

function round(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : String(Number(value.toFixed(3)));
}

/** A one-line label for a check, for the notes pane when an expectation has no text. */
export function describeCheck(check: Check): string {
  if ('metric' in check) return `${check.metric} ${describeTolerance(check.tolerance)}`;
  if ('status' in check) return `${check.status} ${check.state ?? ''}`.trim();
  if ('breaker' in check) return `${check.breaker} ${check.state}`;
  if ('log' in check) return `log /${check.log}/`;
  if ('alert' in check) return `alert ${check.alert} ${check.state}`;
  return `probe ${check.probe.verb} ${describeTolerance(check.tolerance)}`;
}
