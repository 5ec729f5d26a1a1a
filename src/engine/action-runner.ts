import type { ActionContext, ActionOutcome, Driver, EchoHandle, UndoSpec } from '../drivers/driver';
import type { CommandObserver, CommandRunner } from '../drivers/exec';
import { driverNamed, LOCAL_DRIVER, type DriverRegistry } from '../drivers/registry';
import type { Environment } from '../scenario/environment';
import { durationMs } from '../scenario/duration';
import { READ_ONLY_VERBS, type Action } from '../scenario/schema';
import { renderDeep } from '../scenario/template';
import { createLineBatcher } from '../sources/batch';
import type { EventBus } from './bus';
import type { RunHost } from './controller';
import { messageOf } from './errors';
import type { RunMode } from './events';
import type { JournalEntry, RollbackJournal } from './journal';

// Runs one action through its driver: resolves the binding, renders templates,
// asks before destructive verbs on real systems, writes the undo to the journal
// (fsynced) before anything changes, applies with a deadline, and reports every
// command it ran as events.

/** What the action runner needs from the run. */
export interface ActionDeps {
  readonly bus: EventBus;
  readonly registry: DriverRegistry;
  readonly environment: Environment;
  readonly runner: CommandRunner;
  readonly journal: RollbackJournal;
  readonly mode: RunMode;
  readonly host: RunHost;
  readonly stateDir: string;
  readonly runId: string;
  readonly scenarioId: string;
  readonly templateValues: ReadonlyMap<string, string>;
}

/** How an action was run. */
export interface ActionRun extends ActionOutcome {
  readonly status: 'ok' | 'failed' | 'skipped' | 'dry-run' | 'unsupported';
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${(++sequence).toString(36)}`;

const DEFAULT_ACTION_TIMEOUT_MS = 120_000;

/** Resolves which driver and binding an action's target uses. */
export function resolveTarget(deps: Pick<ActionDeps, 'registry' | 'environment'>, action: Action): { driver: Driver; binding: ActionContext['binding'] } {
  if (!action.target) return { driver: driverNamed(deps.registry, LOCAL_DRIVER), binding: null };
  const binding = deps.environment.targets[action.target];
  if (!binding) throw new Error(`target '${action.target}' is not bound in environment '${deps.environment.name}'`);
  return { driver: driverNamed(deps.registry, binding.driver), binding };
}

function createContext(
  deps: ActionDeps,
  actionId: string,
  driver: Driver,
  targetName: string | null,
  binding: ActionContext['binding'],
  signal: AbortSignal,
  environment: Environment = deps.environment,
): ActionContext {
  const { bus } = deps;
  const observerFor = (): CommandObserver => {
    const commandId = nextId('c');
    const batchers = {
      stdout: createLineBatcher({ flushMs: 60, onFlush: (lines) => bus.emit({ type: 'command.output', commandId, stream: 'stdout', lines: lines.map((l) => l.text) }) }),
      stderr: createLineBatcher({ flushMs: 60, onFlush: (lines) => bus.emit({ type: 'command.output', commandId, stream: 'stderr', lines: lines.map((l) => l.text) }) }),
    };
    return {
      onStart: (info) => bus.emit({ type: 'command.started', actionId, commandId, argv: [...info.argv], display: info.display, isShell: info.isShell, isDryRun: info.isDryRun }),
      onLine: (stream, line) => batchers[stream].push(line),
      onFinish: (result) => {
        batchers.stdout.close();
        batchers.stderr.close();
        bus.emit({
          type: 'command.finished', commandId, exitCode: result.exitCode, signal: result.signal, durationMs: result.durationMs,
          isTimedOut: result.isTimedOut, isCanceled: result.isCanceled,
        });
      },
    };
  };
  return {
    targetName,
    binding,
    config: (environment.drivers[driver.name] ?? {}) as Record<string, unknown>,
    environment,
    mode: deps.mode,
    signal,
    stateDir: deps.stateDir,
    run: (spec) => deps.runner.run(spec, { signal, observer: observerFor() }),
    echo(display): EchoHandle {
      const observer = observerFor();
      const started = performance.now();
      observer.onStart?.({ argv: [display], display, isShell: false, isDryRun: deps.mode === 'dry-run' });
      let isDone = false;
      return {
        line: (stream, text) => observer.onLine?.(stream, text),
        finish: ({ isOk, exitCode, error }) => {
          if (isDone) return;
          isDone = true;
          if (error) observer.onLine?.('stderr', error);
          observer.onFinish?.({
            argv: [display], display, exitCode: exitCode ?? (isOk ? 0 : 1), signal: null, stdout: '', stderr: error ?? '',
            durationMs: performance.now() - started, isOk, isTimedOut: false, isCanceled: signal.aborted, isDryRun: deps.mode === 'dry-run',
          });
        },
      };
    },
    emit: (event) => bus.emit(event),
    confirm: (question) => (environment.isReal ? deps.host.confirm(question) : Promise.resolve(true)),
  };
}

function withTimeout(signal: AbortSignal, ms: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(ms)]);
}

/** Options for one action. */
export interface ExecuteOptions {
  readonly step: number | null;
  readonly signal: AbortSignal;
  readonly isProbe?: boolean;
  /** Scenario rollback actions: run as they are, with no undo of their own. */
  readonly isRollback?: boolean;
}

/** Runs one action; never throws — failures come back as a failed ActionRun and events. */
export async function executeAction(deps: ActionDeps, rawAction: Action, options: ExecuteOptions): Promise<ActionRun> {
  const actionId = nextId('a');
  const started = performance.now();
  const { bus } = deps;
  let action = rawAction;
  let driver: Driver;
  let binding: ActionContext['binding'];
  if (action.verb === 'unsupported') {
    // Needs no driver: it shows what cannot run here and reports it.
    const summary = `not runnable: ${action.kind} ${action.name}`;
    bus.emit({ type: 'action.started', actionId, step: options.step, target: null, verb: action.verb, driver: 'none', summary: action.description ? `${action.description} (${summary})` : summary, isProbe: options.isProbe ?? false });
    bus.emit({ type: 'action.finished', actionId, status: 'unsupported', durationMs: 0, error: summary });
    return { status: 'unsupported', isOk: false, error: summary };
  }
  try {
    action = renderDeep(rawAction, deps.templateValues);
    ({ driver, binding } = resolveTarget(deps, action));
  } catch (error) {
    bus.emit({ type: 'action.started', actionId, step: options.step, target: action.target ?? null, verb: action.verb, driver: '?', summary: action.description ?? action.verb, isProbe: options.isProbe ?? false });
    return finish({ status: 'failed', isOk: false, error: messageOf(error) });
  }
  const summary = action.description ?? driver.describe(action, binding);
  bus.emit({ type: 'action.started', actionId, step: options.step, target: action.target ?? null, verb: action.verb, driver: driver.name, summary, isProbe: options.isProbe ?? false });

  function finish(run: ActionRun): ActionRun {
    bus.emit({
      type: 'action.finished', actionId, status: run.status, durationMs: performance.now() - started,
      ...(run.error ? { error: run.error } : {}), ...(run.output !== undefined ? { output: run.output } : {}),
    });
    return run;
  }

  if (!driver.verbs.has(action.verb)) {
    return finish({ status: 'unsupported', isOk: false, error: `the ${driver.name} driver cannot ${action.verb}` });
  }
  const isReadOnly = READ_ONLY_VERBS.has(action.verb) || options.isProbe === true;
  if (deps.mode === 'rehearse' && !isReadOnly) {
    return finish({ status: 'skipped', isOk: true, error: 'rehearsal: actions do not run' });
  }
  const isDestructive = driver.destructiveVerbs?.has(action.verb) === true || action.confirm === true;
  if (deps.environment.isReal && deps.mode === 'live' && isDestructive && !options.isRollback && !options.isProbe) {
    if (!(await deps.host.confirm(`Run on ${deps.environment.name}: ${summary}?`))) {
      return finish({ status: 'skipped', isOk: true, error: 'declined by the presenter' });
    }
  }
  const timeoutMs = action.timeout === undefined ? DEFAULT_ACTION_TIMEOUT_MS : durationMs(action.timeout);
  const signal = withTimeout(options.signal, timeoutMs);
  const context = createContext(deps, actionId, driver, action.target ?? null, binding, signal);
  try {
    if (!isReadOnly && !options.isRollback) {
      const undo = await driver.prepareUndo(action, context);
      if (undo) registerUndo(deps, actionId, driver, action.target ?? null, binding, undo);
    }
    const outcome = await driver.apply(action, context);
    if (deps.mode === 'dry-run') return finish({ ...outcome, status: 'dry-run' });
    if (signal.aborted && !outcome.isOk) return finish({ ...outcome, status: 'failed', error: options.signal.aborted ? 'aborted' : `timed out after ${timeoutMs} ms` });
    return finish({ ...outcome, status: outcome.isOk ? 'ok' : 'failed' });
  } catch (error) {
    return finish({ status: 'failed', isOk: false, error: messageOf(error) });
  }
}

function registerUndo(deps: ActionDeps, actionId: string, driver: Driver, targetName: string | null, binding: ActionContext['binding'], undo: UndoSpec): void {
  const entry: JournalEntry = {
    undoId: `${deps.runId}-${nextId('u')}`,
    runId: deps.runId,
    scenarioId: deps.scenarioId,
    driver: driver.name,
    targetName,
    binding,
    environment: deps.environment,
    undo,
    createdAt: new Date().toISOString(),
  };
  deps.journal.append(entry);
  deps.bus.emit({ type: 'rollback.registered', undoId: entry.undoId, actionId, summary: undo.summary, isFault: undo.kind !== 'traffic' });
}

/** Runs one journaled undo; true when it succeeded. Never throws. */
export async function runUndo(deps: Omit<ActionDeps, 'journal'>, entry: JournalEntry, signal: AbortSignal): Promise<{ isOk: boolean; error?: string }> {
  const { bus } = deps;
  bus.emit({ type: 'rollback.started', undoId: entry.undoId, summary: entry.undo.summary });
  const actionId = nextId('a');
  bus.emit({ type: 'action.started', actionId, step: null, target: entry.targetName, verb: `undo ${entry.undo.verb}`, driver: entry.driver, summary: entry.undo.summary, isProbe: false });
  const started = performance.now();
  let result: { isOk: boolean; error?: string };
  try {
    const driver = driverNamed(deps.registry, entry.driver);
    const context = createContext(deps as ActionDeps, actionId, driver, entry.targetName, entry.binding, withTimeout(signal, DEFAULT_ACTION_TIMEOUT_MS), entry.environment);
    result = await driver.undo(entry.undo, context);
  } catch (error) {
    result = { isOk: false, error: messageOf(error) };
  }
  bus.emit({ type: 'action.finished', actionId, status: result.isOk ? 'ok' : 'failed', durationMs: performance.now() - started, ...(result.error ? { error: result.error } : {}) });
  bus.emit({ type: 'rollback.finished', undoId: entry.undoId, isOk: result.isOk, ...(result.error ? { error: result.error } : {}) });
  return result;
}
