import { randomBytes } from 'node:crypto';
import type { CommandRunner } from '../drivers/exec';
import type { DriverRegistry } from '../drivers/registry';
import type { Environment } from '../scenario/environment';
import { durationMs } from '../scenario/duration';
import type { Scenario, Step } from '../scenario/schema';
import { templateValues } from '../scenario/template';
import { executeAction, runUndo, type ActionDeps } from './action-runner';
import { createBus, type EventBus } from './bus';
import { createCheckWatcher } from './check-watch';
import { describeCheck } from './checks';
import type { RunController, RunHost, RunOutcome } from './controller';
import type { EventSink, Phase, RunMode } from './events';
import { watchStopConditions } from './guardrails';
import { openJournal, volatileJournal } from './journal';
import { evaluateCriteria, Measurements } from './measures';
import { createRedactor, secretValuesFromEnv } from './redact';
import { reduce } from './reducer';
import { sleep } from './sleep';
import { resolveStrategies, type HypothesisStrategy, type RollbackStrategy } from './strategies';
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
  readonly hypothesisStrategy?: HypothesisStrategy;
  readonly rollbackStrategy?: RollbackStrategy;
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
  const strategies = resolveStrategies(scenario, options.hypothesisStrategy, options.rollbackStrategy);
  const { isCtk, isDeviationFirst, rollback: rollbackStrategy } = strategies;
  let current = -1;
  let busy: Promise<void> | null = null;
  let stepAbort = new AbortController();
  let waitAbort = new AbortController();
  let restoreChain: Promise<unknown> = Promise.resolve();
  let rollbackActionsDone = false;
  let steadyBefore: Promise<boolean> | null = null;
  let steadyAfter: Promise<boolean> | null = null;
  let during: { stop(): Promise<void> } | null = null;
  let isGateFailed = false;
  let isFailed = false;
  let concluded: Promise<boolean> | null = null;
  let finishing: Promise<RunOutcome> | null = null;
  let resolveDone!: (outcome: RunOutcome) => void;
  const done = new Promise<RunOutcome>((resolve) => (resolveDone = resolve));

  bus.emit({ type: 'run.started', runId, scenario, environment: { name: environment.name, isLab: !environment.isReal }, mode, isAuto, startedAt: new Date().toISOString() });

  // ---- checks -----------------------------------------------------------

  const checks = createCheckWatcher({ actions: deps, mode, view: () => view, currentStep: () => current });
  const watchCheck = checks.watch;

  async function steadyState(label: 'before' | 'after' | 'during', round = 0): Promise<boolean> {
    if (scenario.steadyState.length === 0 || mode === 'dry-run') return true;
    const results = await Promise.all(scenario.steadyState.map((s, i) =>
      watchCheck(label === 'during' ? `steady-during-${round}-${i}` : `steady-${label}-${i}`, 'steady-state', null, `${s.name} (${label})`, s.check, s.within !== undefined ? durationMs(s.within) : 10_000, runAbort.signal)));
    return results.every(Boolean);
  }

  /** The gate: the steady state before the method, once, when the strategy checks it. */
  function gate(): Promise<boolean> {
    if (!strategies.checksBefore) return Promise.resolve(true);
    steadyBefore ??= steadyState('before');
    return steadyBefore;
  }

  /** The deviation check after the method, once, when the strategy checks it. */
  function afterCheck(): Promise<boolean> {
    if (!strategies.checksAfter) return Promise.resolve(true);
    steadyAfter ??= steadyState('after');
    return steadyAfter;
  }

  /** Checks the steady state every second while the method runs (during-method, continuously). */
  function startDuring(): void {
    if (!strategies.checksDuring || during || mode === 'dry-run' || scenario.steadyState.length === 0) return;
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
      const failuresBefore = checks.probeFailures();
      const isSteady = await afterCheck();
      // Chaos Toolkit: a deviation check whose probe could not run makes the run `failed`.
      if (isCtk && !isSteady && checks.probeFailures() > failuresBefore) isFailed = true;
      return !isSteady;
    })();
    return concluded;
  }

  // ---- restore ----------------------------------------------------------

  /**
   * Runs the pending undos newest first, then (once) the scenario's rollback
   * actions. Restores never overlap: each waits for the one before. Generated
   * traffic is stopped only at the end of the run (`isEnd`), never by restoring faults.
   */
  function restoreAll({ withRollbacks = true, isEnd = false } = {}): Promise<boolean> {
    const next = restoreChain.then(() => restoreNow(withRollbacks, isEnd));
    restoreChain = next.catch(() => false);
    return next;
  }

  async function restoreNow(withRollbacks: boolean, isEnd: boolean): Promise<boolean> {
    const signal = new AbortController().signal;
    let isOk = true;
    for (const entry of journal.pending().reverse()) {
      if (!isEnd && entry.undo.kind === 'traffic') continue;
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
      const failuresBefore = checks.probeFailures();
      const isSteady = await gate();
      if (!isSteady && isAuto) {
        bus.emit({ type: 'notice', level: 'error', text: 'The steady state did not hold before the method: no fault will be injected.' });
        isGateFailed = true;
        // Chaos Toolkit: `failed` when a probe could not run, `completed` when one was out of tolerance.
        isFailed = !isCtk || checks.probeFailures() > failuresBefore;
        bus.emit({ type: 'step.finished', index, status: 'skipped' });
        return !isFailed;
      }
      if (!isSteady) bus.emit({ type: 'notice', level: 'warn', text: 'The steady state does not hold yet; injecting now proves little.' });
      if (isMethodStep) startDuring();
    }
    if (step.phase === 'restore') {
      const isDeviated = await concludeMethod();
      if (rollbackStrategy !== 'never') await restoreAll({ withRollbacks: strategies.shouldPlayRollbacks(isFailed ? 'failed' : 'completed', isDeviated) });
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

  const stopGuardrails = mode === 'live'
    ? watchStopConditions(scenario.stopConditions, measurements, () => bus.now(), (condition, reason) => void haltRun(reason, condition.name))
    : () => undefined;

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
      stopGuardrails();
      stepAbort.abort();
      waitAbort.abort();
      await busy?.catch(() => undefined);
      // Chaos Toolkit skips the deviation check after an interrupt or an abort.
      let isDeviated = requested === 'completed' || concluded ? await concludeMethod() : (await during?.stop(), false);
      let status: RunOutcome['status'] = requested !== 'completed' ? requested : isFailed ? 'failed' : 'completed';
      const isRestored = rollbackStrategy !== 'never'
        ? await restoreAll({ withRollbacks: strategies.shouldPlayRollbacks(status, isDeviated), isEnd: true })
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
