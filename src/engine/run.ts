import { randomBytes } from 'node:crypto';
import type { CommandRunner } from '../drivers/exec';
import type { DriverRegistry } from '../drivers/registry';
import type { Environment } from '../scenario/environment';
import { durationMs } from '../scenario/duration';
import type { Action, Check, Scenario, Step, Tolerance } from '../scenario/schema';
import { templateValues } from '../scenario/template';
import { executeAction, runUndo, type ActionDeps } from './action-runner';
import { createBus, type EventBus } from './bus';
import { describeCheck, readCheck, type CheckReading } from './checks';
import type { RunController, RunHost, RunOutcome } from './controller';
import type { EventSink, Phase, RunMode } from './events';
import { openJournal, volatileJournal } from './journal';
import { evaluateCriteria, Measurements } from './measures';
import { createRedactor, secretValuesFromEnv } from './redact';
import { reduce } from './reducer';
import { withinTolerance } from './tolerance';
import { initialViewState, type ViewState } from './view-state';

// The run state machine. Presenter-paced (next, back, run the step, restore,
// halt) or automatic; every fault's undo is journaled before it is injected and
// run on every way out: finish, halt, a guardrail, a signal handled by the host.

/** How a run is set up. */
export interface RunOptions {
  readonly scenario: Scenario;
  readonly environment: Environment;
  readonly registry: DriverRegistry;
  readonly runner: CommandRunner;
  readonly mode: RunMode;
  readonly isAuto: boolean;
  readonly host: RunHost;
  readonly stateDir: string;
  /** Multiplies every `wait` duration: 0.25 runs waits four times faster. */
  readonly pace?: number;
  readonly sinks?: readonly EventSink[];
  readonly runId?: string;
  /** Chaos Toolkit's strategies: when the steady state is checked, when rollbacks run. */
  readonly hypothesisStrategy?: 'default' | 'before-method-only' | 'after-method-only' | 'during-method' | 'continuously';
  readonly rollbackStrategy?: 'default' | 'always' | 'never' | 'deviated';
  /** Default deadline for an expectation without `within`. */
  readonly expectTimeoutMs?: number;
}

/** A started run. */
export interface Run {
  readonly controller: RunController;
  readonly bus: EventBus;
  readonly measurements: Measurements;
  readonly runId: string;
  /** The view state as the engine sees it (checks read it). */
  view(): ViewState;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** A run id: the scenario id and a timestamp, unique enough for files. */
export function newRunId(scenarioId: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  return `${scenarioId}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Starts a run: emits `run.started`, enters the first step, and in auto mode walks every step. */
export function startRun(options: RunOptions): Run {
  const { scenario, environment, mode, isAuto, pace = 1 } = options;
  const runId = options.runId ?? newRunId(scenario.id);
  const redact = createRedactor(secretValuesFromEnv(environment.secrets));
  const measurements = new Measurements();
  let view = initialViewState;
  const bus = createBus({
    redact,
    sinks: [(e) => { view = reduce(view, e); measurements.observe(e); }, ...(options.sinks ?? [])],
  });
  const journal = mode === 'dry-run' ? volatileJournal() : openJournal(options.stateDir, { runId, scenarioId: scenario.id });
  const deps: ActionDeps = {
    bus, registry: options.registry, environment, runner: options.runner, journal, mode, host: options.host,
    stateDir: options.stateDir, runId, scenarioId: scenario.id, templateValues: templateValues(environment),
  };
  const runAbort = new AbortController();
  const expectTimeoutMs = options.expectTimeoutMs ?? 30_000;
  // Chaos Toolkit's strategies: the command line's, else the experiment's `runtime`, else default.
  const hypothesisStrategy = options.hypothesisStrategy ?? scenario.runtime?.hypothesisStrategy ?? 'default';
  const rollbackStrategy = options.rollbackStrategy ?? scenario.runtime?.rollbackStrategy ?? 'default';
  const checksBefore = ['default', 'before-method-only', 'continuously'].includes(hypothesisStrategy);
  const checksAfter = ['default', 'after-method-only', 'continuously'].includes(hypothesisStrategy);
  const checksDuring = ['during-method', 'continuously'].includes(hypothesisStrategy);
  // A Chaos Toolkit experiment checks for deviation before its rollbacks and keeps
  // its status rules; chaosdeck's own scenarios check recovery after restoring.
  const isCtk = scenario.origin?.format === 'chaostoolkit';
  const isDeviationFirst = isCtk || rollbackStrategy === 'deviated';
  let current = -1;
  let busy: Promise<void> | null = null;
  let stepAbort = new AbortController();
  let waitAbort = new AbortController();
  let restoring: Promise<boolean> | null = null;
  let rollbackActionsDone = false;
  let steadyBefore: Promise<boolean> | null = null;
  let steadyAfter: Promise<boolean> | null = null;
  let during: { stop(): Promise<void> } | null = null;
  /** Steady-state probes that could not run at all (not merely out of tolerance): Chaos Toolkit's `failed`. */
  let probeFailures = 0;
  let isGateFailed = false;
  let isFailed = false;
  let concluded: Promise<boolean> | null = null;
  let finishing: Promise<RunOutcome> | null = null;
  let resolveDone!: (outcome: RunOutcome) => void;
  const done = new Promise<RunOutcome>((resolve) => (resolveDone = resolve));

  bus.emit({ type: 'run.started', runId, scenario, environment: { name: environment.name, isLab: !environment.isReal }, mode, isAuto, startedAt: new Date().toISOString() });

  // ---- checks -----------------------------------------------------------

  async function readAnyCheck(check: Check, since: number, signal: AbortSignal): Promise<CheckReading> {
    if (!('probe' in check)) return readCheck(check, view, since);
    const result = await executeAction(deps, check.probe, { step: current, signal, isProbe: true });
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
      const verdict = await executeAction(deps, withValue(toleranceProbe, value), { step: current, signal, isProbe: true });
      isMet = verdict.isOk || hasExitStatus(verdict.output);
    }
    return { isMet, observed: `${check.path || 'output'} = ${preview(value)}`, expected };
  }

  /** Polls a check until it holds or its deadline passes; emits pending, then met or missed. */
  async function watchCheck(checkId: string, kind: 'expect' | 'steady-state', step: number | null, label: string, check: Check, deadlineMs: number, signal: AbortSignal): Promise<boolean> {
    const since = bus.now();
    bus.emit({ type: 'check', checkId, kind, step, label, status: 'pending', expected: describeCheck(check) });
    const interval = 'probe' in check ? 1_000 : 250;
    const until = since + deadlineMs;
    let reading: CheckReading = { isMet: false, observed: 'not checked', expected: describeCheck(check) };
    while (!signal.aborted) {
      reading = await readAnyCheck(check, since, signal);
      if (reading.isMet || bus.now() >= until) break;
      await sleep(Math.min(interval, until - bus.now()), signal);
    }
    const status = reading.isMet ? 'met' : signal.aborted && mode !== 'live' ? 'skipped' : 'missed';
    bus.emit({ type: 'check', checkId, kind, step, label, status, observed: reading.observed, expected: reading.expected });
    return reading.isMet;
  }

  async function steadyState(label: 'before' | 'after' | 'during', round = 0): Promise<boolean> {
    if (scenario.steadyState.length === 0 || mode === 'dry-run') return true;
    const results = await Promise.all(scenario.steadyState.map((s, i) =>
      watchCheck(label === 'during' ? `steady-during-${round}-${i}` : `steady-${label}-${i}`, 'steady-state', null, `${s.name} (${label})`, s.check, s.within !== undefined ? durationMs(s.within) : 10_000, runAbort.signal)));
    return results.every(Boolean);
  }

  /** The gate: the steady state before the method, once, when the strategy checks it. */
  function gate(): Promise<boolean> {
    if (!checksBefore) return Promise.resolve(true);
    steadyBefore ??= steadyState('before');
    return steadyBefore;
  }

  /** The deviation check after the method, once, when the strategy checks it. */
  function afterCheck(): Promise<boolean> {
    if (!checksAfter) return Promise.resolve(true);
    steadyAfter ??= steadyState('after');
    return steadyAfter;
  }

  /** Checks the steady state every second while the method runs (during-method, continuously). */
  function startDuring(): void {
    if (!checksDuring || during || mode === 'dry-run' || scenario.steadyState.length === 0) return;
    const stop = new AbortController();
    const loop = (async () => {
      for (let round = 1; !stop.signal.aborted && !runAbort.signal.aborted; round++) {
        await steadyState('during', round);
        await sleep(1_000, stop.signal);
      }
    })();
    during = { stop: async () => { stop.abort(); await loop; } };
  }

  /**
   * Ends the method: stops the during-method checks and, where deviation is
   * decided before rolling back, runs the deviation check once. Resolves true
   * when the system deviated.
   */
  function concludeMethod(): Promise<boolean> {
    concluded ??= (async () => {
      await during?.stop();
      if (!isDeviationFirst || isFailed || isGateFailed) return false;
      const failuresBefore = probeFailures;
      const isSteady = await afterCheck();
      // Chaos Toolkit: a deviation check whose probe could not run makes the run `failed`.
      if (isCtk && !isSteady && probeFailures > failuresBefore) isFailed = true;
      return !isSteady;
    })();
    return concluded;
  }

  /** Whether the scenario's rollback actions are played, by the rollback strategy. */
  function shouldPlayRollbacks(status: 'completed' | 'failed' | 'aborted' | 'interrupted', isDeviated: boolean): boolean {
    if (rollbackStrategy === 'never') return false;
    // The deliberate difference from Chaos Toolkit: a presenter is never left with a fault in place.
    if (status === 'aborted' || status === 'interrupted') return true;
    if (rollbackStrategy === 'always') return true;
    if (rollbackStrategy === 'deviated') return isDeviated;
    return !isCtk || status !== 'failed';
  }

  // ---- restore ----------------------------------------------------------

  async function restoreAll(withRollbacks = true): Promise<boolean> {
    if (restoring) return restoring;
    restoring = (async () => {
      const signal = new AbortController().signal;
      let isOk = true;
      for (const entry of journal.pending().reverse()) {
        const result = await runUndo(deps, entry, signal);
        if (result.isOk) journal.markDone(entry.undoId);
        else isOk = false;
      }
      if (withRollbacks && !rollbackActionsDone && scenario.rollback.length > 0 && mode !== 'rehearse') {
        rollbackActionsDone = true;
        for (const action of scenario.rollback) {
          if (action.verb === 'wait') {
            await sleep(durationMs(action.duration) * pace, runAbort.signal);
            continue;
          }
          const result = await executeAction(deps, action, { step: null, signal, isRollback: true });
          if (!result.isOk && !action.allowFailure) isOk = false;
        }
      }
      return isOk;
    })();
    try {
      return await restoring;
    } finally {
      restoring = null;
    }
  }

  // ---- steps ------------------------------------------------------------

  function enterStep(index: number): void {
    if (index < 0 || index >= scenario.steps.length) return;
    waitAbort.abort();
    waitAbort = new AbortController();
    current = index;
    bus.emit({ type: 'step.entered', index, phase: scenario.steps[index]!.phase });
  }

  async function runStepAt(index: number): Promise<boolean> {
    const step = scenario.steps[index]!;
    stepAbort = new AbortController();
    const signal = AbortSignal.any([stepAbort.signal, runAbort.signal]);
    const waitSignal = AbortSignal.any([signal, waitAbort.signal]);
    const isMethodStep = step.phase === 'inject' || step.phase === 'observe';
    // With no method step, the gate still runs before the restore (Chaos Toolkit checks it before an empty method).
    if (isMethodStep || (step.phase === 'restore' && steadyBefore === null && isCtk)) {
      const failuresBefore = probeFailures;
      const isSteady = await gate();
      if (!isSteady && isAuto) {
        bus.emit({ type: 'notice', level: 'error', text: 'The steady state did not hold before the method: no fault will be injected.' });
        isGateFailed = true;
        // Chaos Toolkit: `failed` when a probe could not run, `completed` when one was out of tolerance.
        isFailed = !isCtk || probeFailures > failuresBefore;
        bus.emit({ type: 'step.finished', index, status: 'skipped' });
        return !isFailed;
      }
      if (!isSteady) bus.emit({ type: 'notice', level: 'warn', text: 'The steady state does not hold yet; injecting now proves little.' });
      if (isMethodStep) startDuring();
    }
    if (step.phase === 'restore') {
      const isDeviated = await concludeMethod();
      if (rollbackStrategy !== 'never') await restoreAll(shouldPlayRollbacks(isFailed ? 'failed' : 'completed', isDeviated));
    }
    let isOk = true;
    const background: Promise<unknown>[] = [];
    for (const action of step.run) {
      if (signal.aborted) break;
      if (action.verb === 'wait') {
        await sleep(durationMs(action.duration) * pace, waitSignal);
        continue;
      }
      const running = executeAction(deps, action, { step: index, signal });
      if (action.background) {
        background.push(running);
        continue;
      }
      const result = await running;
      if (!result.isOk && !action.allowFailure) {
        isOk = false;
        bus.emit({ type: 'notice', level: 'error', text: `Step ${index + 1}: ${result.error ?? 'an action failed'}` });
        break;
      }
    }
    const expectations = mode === 'dry-run' ? [] : step.expect.flatMap((e, i) => e.check
      ? [watchCheck(`expect-${index}-${i}`, 'expect', index, e.text, e.check, e.within ? durationMs(e.within) : expectTimeoutMs, runAbort.signal)]
      : []);
    if (step.wait && isOk) {
      if ('duration' in step.wait) await sleep(durationMs(step.wait.duration) * pace, waitSignal);
      else await watchCheck(`wait-${index}`, 'expect', index, `wait until ${describeCheck(step.wait.until)}`, step.wait.until, durationMs(step.wait.max), waitSignal);
    }
    if (isAuto) await Promise.all([...expectations, ...background]);
    bus.emit({ type: 'step.finished', index, status: isOk ? 'done' : 'failed' });
    return isOk;
  }

  function runCurrentStep(): Promise<void> {
    if (busy || finishing || current < 0) return busy ?? Promise.resolve();
    busy = runStepAt(current)
      .then((isOk) => { if (!isOk) isFailed = true; })
      .finally(() => { busy = null; });
    return busy;
  }

  // ---- guardrails ---------------------------------------------------------

  const guardSince = new Map<string, number>();
  const guardTimer = scenario.stopConditions.length > 0 && mode === 'live'
    ? setInterval(() => {
      for (const condition of scenario.stopConditions) {
        const values = measurements.values(condition.measure, 'run');
        const value = values[values.length - 1];
        if (value === undefined || !withinTolerance(condition.when, value)) {
          guardSince.delete(condition.name);
          continue;
        }
        const since = guardSince.get(condition.name) ?? bus.now();
        guardSince.set(condition.name, since);
        if (bus.now() - since >= durationMs(condition.for)) {
          guardSince.clear();
          void haltRun(`stop condition '${condition.name}' held for ${durationMs(condition.for) / 1000} s`, condition.name);
          return;
        }
      }
    }, 250)
    : undefined;
  guardTimer?.unref();

  async function haltRun(reason: string, guardrail?: string): Promise<void> {
    stepAbort.abort();
    waitAbort.abort();
    bus.emit({ type: 'halted', reason, ...(guardrail ? { guardrail } : {}) });
    if (rollbackStrategy !== 'never') await restoreAll();
    if (isAuto || guardrail) void finish(guardrail ? 'interrupted' : 'aborted');
  }

  // ---- finishing ----------------------------------------------------------

  async function finish(requested: 'completed' | 'aborted' | 'interrupted' = 'completed'): Promise<RunOutcome> {
    finishing ??= (async () => {
      if (guardTimer) clearInterval(guardTimer);
      stepAbort.abort();
      waitAbort.abort();
      await busy?.catch(() => undefined);
      // Chaos Toolkit skips the deviation check after an interrupt or an abort.
      let isDeviated = requested === 'completed' || concluded ? await concludeMethod() : (await during?.stop(), false);
      let status: RunOutcome['status'] = requested !== 'completed' ? requested : isFailed ? 'failed' : 'completed';
      const isRestored = rollbackStrategy !== 'never'
        ? await restoreAll(shouldPlayRollbacks(status, isDeviated))
        : journal.pending().length === 0;
      if (!isDeviationFirst && requested === 'completed' && !isFailed && !isGateFailed) isDeviated = !(await afterCheck());
      runAbort.abort();
      const criteria = evaluateCriteria(scenario.criteria, measurements);
      status = requested !== 'completed' ? requested : isFailed ? 'failed' : 'completed';
      const isPass = status === 'completed' && !isDeviated && !isGateFailed && criteria.every((c) => c.isOk);
      if (mode !== 'dry-run') bus.emit({ type: 'verdict', outcome: isPass ? 'PASS' : 'FAIL', isDeviated, criteria });
      const pendingFaults = journal.pending().length;
      const exitCode = pendingFaults > 0 || !isRestored ? 4
        : status === 'aborted' || status === 'interrupted' ? 3
          : isPass || mode === 'dry-run' || mode === 'rehearse' ? 0 : 1;
      bus.emit({ type: 'run.finished', status, exitCode, pendingFaults });
      journal.close();
      const outcome: RunOutcome = { status, exitCode, pendingFaults };
      resolveDone(outcome);
      return outcome;
    })();
    return finishing;
  }

  // ---- the controller -------------------------------------------------------

  const controller: RunController = {
    next() {
      if (finishing) return;
      if (current + 1 < scenario.steps.length) enterStep(current + 1);
      else bus.emit({ type: 'notice', level: 'info', text: 'That was the last step: q ends the run.' });
    },
    back() {
      if (!finishing && current > 0) enterStep(current - 1);
    },
    jumpTo(phase: Phase) {
      const index = scenario.steps.findIndex((s: Step) => s.phase === phase);
      if (!finishing && index >= 0) enterStep(index);
    },
    runStep() {
      void runCurrentStep();
    },
    restore() {
      if (!finishing) void restoreAll();
    },
    halt(reason = 'halted by the presenter') {
      if (!finishing) void haltRun(reason);
    },
    finish,
    isBusy: () => busy !== null,
    done,
  };

  enterStep(0);
  if (isAuto) {
    void (async () => {
      for (let i = 0; i < scenario.steps.length && !finishing; i++) {
        if (i > 0) enterStep(i);
        await runCurrentStep();
        if (isFailed || isGateFailed) break;
      }
      await finish('completed');
    })();
  }

  return { controller, bus, measurements, runId, view: () => view };
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
