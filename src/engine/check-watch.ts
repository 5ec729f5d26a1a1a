import type { Action, Check, Tolerance } from '../scenario/schema';
import { executeAction, type ActionDeps } from './action-runner';
import { describeCheck, readCheck, type CheckReading } from './checks';
import type { RunMode } from './events';
import { sleep } from './sleep';
import { withinTolerance } from './tolerance';
import type { ViewState } from './view-state';

// Expectations, steady-state checks and `wait until` conditions, watched until
// they hold or their deadline passes. Probe checks run an action through its
// driver and test its output, the way Chaos Toolkit tests a probe.

/** What watching checks needs from the run. */
export interface CheckWatchDeps {
  readonly actions: ActionDeps;
  readonly mode: RunMode;
  view(): ViewState;
  /** The step the run is on, for the probe's action events. */
  currentStep(): number;
}

/** Watches checks; counts probes that could not run at all (Chaos Toolkit's `failed`). */
export interface CheckWatcher {
  /** Polls until the check holds or `deadlineMs` passes; emits pending, then met, missed or skipped. */
  watch(checkId: string, kind: 'expect' | 'steady-state', step: number | null, label: string, check: Check, deadlineMs: number, signal: AbortSignal): Promise<boolean>;
  /** Probes that failed to run (not merely out of tolerance) so far. */
  probeFailures(): number;
}

/** Creates a watcher bound to a run. */
export function createCheckWatcher(deps: CheckWatchDeps): CheckWatcher {
  const { bus } = deps.actions;
  let probeFailures = 0;

  async function read(check: Check, since: number, signal: AbortSignal): Promise<CheckReading> {
    if (!('probe' in check)) return readCheck(check, deps.view(), since);
    const result = await executeAction(deps.actions, check.probe, { step: deps.currentStep(), signal, isProbe: true });
    const expected = describeCheck(check);
    // A process that exited has an output to test whatever its exit code (Chaos Toolkit's process provider).
    if (!result.isOk && !hasExitStatus(result.output)) {
      probeFailures++;
      return { isMet: false, observed: result.error ?? 'failed', expected };
    }
    const value = valueAtPath(result.output, check.path ?? 'status');
    const { probe: toleranceProbe, ...constraints } = check.tolerance;
    const hasConstraints = Object.entries(constraints).some(([k, v]) => v !== undefined && k !== 'strict' && k !== 'target');
    let isMet = !hasConstraints || withinTolerance(constraints as Tolerance, value);
    if (isMet && toleranceProbe) {
      const verdict = await executeAction(deps.actions, withValue(toleranceProbe, value), { step: deps.currentStep(), signal, isProbe: true });
      isMet = verdict.isOk || hasExitStatus(verdict.output);
    }
    return { isMet, observed: `${check.path || 'output'} = ${preview(value)}`, expected };
  }

  return {
    async watch(checkId, kind, step, label, check, deadlineMs, signal) {
      const since = bus.now();
      bus.emit({ type: 'check', checkId, kind, step, label, status: 'pending', expected: describeCheck(check) });
      const interval = 'probe' in check ? 1_000 : 250;
      const until = since + deadlineMs;
      let reading: CheckReading = { isMet: false, observed: 'not checked', expected: describeCheck(check) };
      while (!signal.aborted) {
        reading = await read(check, since, signal);
        if (reading.isMet || bus.now() >= until) break;
        await sleep(Math.min(interval, until - bus.now()), signal);
      }
      const status = reading.isMet ? 'met' : signal.aborted && deps.mode !== 'live' ? 'skipped' : 'missed';
      bus.emit({ type: 'check', checkId, kind, step, label, status, observed: reading.observed, expected: reading.expected });
      return reading.isMet;
    },
    probeFailures: () => probeFailures,
  };
}

function hasExitStatus(output: unknown): boolean {
  return output !== null && typeof output === 'object' && typeof (output as { status?: unknown }).status === 'number';
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** A tolerance probe gets the probed value as its `value` argument (Chaos Toolkit's probe tolerance). */
function withValue(probe: Action, value: unknown): Action {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  if (probe.verb === 'exec') return { ...probe, argv: [...probe.argv, 'value', text] };
  if (probe.verb === 'http' && probe.method.toUpperCase() === 'GET') return { ...probe, query: { ...probe.query, value: text } };
  if (probe.verb === 'http' && probe.body !== null && typeof probe.body === 'object') return { ...probe, body: { ...probe.body, value } };
  if (probe.verb === 'unsupported') return { ...probe, arguments: { ...(probe.arguments as object | undefined), value } };
  return probe;
}

/** The value at a dotted path in a probe's output; '' is the whole output. */
export function valueAtPath(output: unknown, path: string): unknown {
  let value = output;
  for (const segment of path.split('.').filter(Boolean)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
