import type { DeckEvent, EventOf } from './events';
import { initialViewState, LIMITS, type ActionView, type CommandView, type ViewState } from './view-state';

// One pure function folds the stream into what the deck shows. Live runs,
// replay, followers and tests all go through it, so they cannot disagree.

const keep = <T>(items: readonly T[], max: number): readonly T[] => (items.length > max ? items.slice(items.length - max) : items);

function updateAction(state: ViewState, actionId: string, update: (a: ActionView) => ActionView): ViewState {
  const index = findLastIndex(state.actions, (a) => a.actionId === actionId);
  if (index < 0) return state;
  const actions = state.actions.slice();
  actions[index] = update(actions[index]!);
  return { ...state, actions };
}

function updateCommand(state: ViewState, commandId: string, update: (c: CommandView) => CommandView): ViewState {
  for (let i = state.actions.length - 1; i >= 0; i--) {
    const action = state.actions[i]!;
    const index = findLastIndex(action.commands, (c) => c.commandId === commandId);
    if (index < 0) continue;
    const commands = action.commands.slice();
    commands[index] = update(commands[index]!);
    const actions = state.actions.slice();
    actions[i] = { ...action, commands };
    return { ...state, actions };
  }
  return state;
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}

function upsert<T>(items: readonly T[], match: (item: T) => boolean, next: (previous: T | undefined) => T): readonly T[] {
  const index = items.findIndex(match);
  if (index < 0) return [...items, next(undefined)];
  const copy = items.slice();
  copy[index] = next(items[index]);
  return copy;
}

function runStarted(_: ViewState, e: EventOf<'run.started'>): ViewState {
  return {
    ...initialViewState,
    run: { runId: e.runId, scenario: e.scenario, environment: e.environment, mode: e.mode, isAuto: e.isAuto, startedAt: e.startedAt },
    status: 'running',
    steps: e.scenario.steps.map(() => ({ progress: 'pending' as const, enteredAt: null })),
    t: e.t,
  };
}

function stepEntered(state: ViewState, e: EventOf<'step.entered'>): ViewState {
  const steps = state.steps.map((s, i) => {
    if (i === e.index) return { progress: 'current' as const, enteredAt: e.t };
    return s.progress === 'current' ? { ...s, progress: 'pending' as const } : s;
  });
  return { ...state, steps, currentStep: e.index, phase: e.phase };
}

function stepFinished(state: ViewState, e: EventOf<'step.finished'>): ViewState {
  const steps = state.steps.map((s, i) => (i === e.index ? { ...s, progress: e.status } : s));
  return { ...state, steps };
}

function logLines(state: ViewState, e: EventOf<'log.lines'>): ViewState {
  const added = e.lines.map((l) => (l.ts === undefined ? { t: e.t, source: e.source, text: l.text } : { t: e.t, source: e.source, text: l.text, ts: l.ts }));
  const all = state.logs.lines.length + added.length;
  const overflow = Math.max(0, all - LIMITS.logLines);
  const lines = overflow > 0 ? [...state.logs.lines, ...added].slice(overflow) : [...state.logs.lines, ...added];
  return {
    ...state,
    logs: { lines, dropped: state.logs.dropped + overflow + e.dropped, total: state.logs.total + e.lines.length + e.dropped },
  };
}

function status(state: ViewState, e: EventOf<'status'>): ViewState {
  let targets = state.targets;
  for (const target of e.targets) {
    const key = `${e.source}/${target.name}`;
    targets = upsert(targets, (t) => t.key === key, (previous) => {
      const isChanged = !previous || previous.state !== target.state || previous.isReady !== target.isReady || previous.restarts !== target.restarts;
      return { key, source: e.source, ...target, changedAt: isChanged ? e.t : previous.changedAt };
    });
  }
  return { ...state, targets };
}

function breaker(state: ViewState, e: EventOf<'breaker'>): ViewState {
  const breakers = upsert(state.breakers, (b) => b.name === e.name, (previous) => {
    if (!previous) return { name: e.name, source: e.source, state: e.state, since: e.t, failureRate: e.failureRate, transitions: [] };
    if (previous.state === e.state) return { ...previous, failureRate: e.failureRate ?? previous.failureRate };
    const transitions = keep([...previous.transitions, { t: e.t, from: previous.state, to: e.state }], LIMITS.breakerTransitions);
    return { ...previous, state: e.state, since: e.t, failureRate: e.failureRate ?? previous.failureRate, transitions };
  });
  return { ...state, breakers };
}

function metricKey(e: EventOf<'metric'>): string {
  const labels = e.labels ? Object.entries(e.labels).sort().map(([k, v]) => `${k}=${v}`).join(',') : '';
  return `${e.source}/${e.name}{${labels}}`;
}

/** Folds one event into the view state. Pure: the input state is never modified. */
export function reduce(state: ViewState, event: DeckEvent): ViewState {
  const next = reduceEvent(state, event);
  return event.t > next.t ? { ...next, t: event.t } : next;
}

function reduceEvent(state: ViewState, e: DeckEvent): ViewState {
  switch (e.type) {
    case 'run.started':
      return runStarted(state, e);
    case 'step.entered':
      return stepEntered(state, e);
    case 'step.finished':
      return stepFinished(state, e);
    case 'action.started': {
      const action: ActionView = {
        actionId: e.actionId, step: e.step, target: e.target, verb: e.verb, driver: e.driver, summary: e.summary,
        isProbe: e.isProbe, startedAt: e.t, status: 'running', durationMs: null, commands: [],
      };
      return { ...state, actions: keep([...state.actions, action], LIMITS.actions) };
    }
    case 'action.finished':
      return updateAction(state, e.actionId, (a) => ({ ...a, status: e.status, durationMs: e.durationMs, ...(e.error ? { error: e.error } : {}) }));
    case 'command.started':
      return updateAction(state, e.actionId, (a) => ({
        ...a,
        commands: [...a.commands, {
          commandId: e.commandId, display: e.display, isShell: e.isShell, isDryRun: e.isDryRun, startedAt: e.t,
          output: [], outputDropped: 0, exitCode: null, signal: null, durationMs: null, isTimedOut: false, isCanceled: false, isRunning: true,
        }],
      }));
    case 'command.output':
      return updateCommand(state, e.commandId, (c) => {
        const all = [...c.output, ...e.lines.map((text) => ({ stream: e.stream, text }))];
        const overflow = Math.max(0, all.length - LIMITS.commandOutputLines);
        return { ...c, output: overflow ? all.slice(overflow) : all, outputDropped: c.outputDropped + overflow };
      });
    case 'command.finished':
      return updateCommand(state, e.commandId, (c) => ({
        ...c, exitCode: e.exitCode, signal: e.signal, durationMs: e.durationMs, isTimedOut: e.isTimedOut, isCanceled: e.isCanceled, isRunning: false,
      }));
    case 'rollback.registered':
      if (!e.isFault) return state;
      return {
        ...state,
        pendingFaults: [...state.pendingFaults, { undoId: e.undoId, actionId: e.actionId, summary: e.summary, t: e.t }],
        markers: keep([...state.markers, { t: e.t, kind: 'inject' as const, label: e.summary }], LIMITS.markers),
      };
    case 'rollback.started':
      return state;
    case 'rollback.finished': {
      if (!e.isOk) return state;
      const fault = state.pendingFaults.find((f) => f.undoId === e.undoId);
      return {
        ...state,
        pendingFaults: state.pendingFaults.filter((f) => f.undoId !== e.undoId),
        markers: keep([...state.markers, { t: e.t, kind: 'restore' as const, label: fault?.summary ?? e.undoId }], LIMITS.markers),
      };
    }
    case 'log.lines':
      return logLines(state, e);
    case 'status':
      return status(state, e);
    case 'latency': {
      const sample = { t: e.t, p50: e.p50, p95: e.p95, p99: e.p99, rps: e.rps, errorRate: e.errorRate };
      return { ...state, latency: { source: e.source, samples: keep([...state.latency.samples, sample], LIMITS.latencySamples) } };
    }
    case 'breaker':
      return breaker(state, e);
    case 'metric': {
      const key = metricKey(e);
      const view = { key, source: e.source, name: e.name, value: e.value, labels: e.labels, unit: e.unit, t: e.t };
      return { ...state, metrics: upsert(state.metrics, (m) => m.key === key, () => view) };
    }
    case 'alert': {
      const view = { name: e.name, source: e.source, state: e.state, summary: e.summary, t: e.t };
      return { ...state, alerts: upsert(state.alerts, (a) => a.name === e.name && a.source === e.source, () => view) };
    }
    case 'check': {
      const view = { checkId: e.checkId, kind: e.kind, step: e.step, label: e.label, status: e.status, observed: e.observed, expected: e.expected, t: e.t };
      return { ...state, checks: upsert(state.checks, (c) => c.checkId === e.checkId, () => view) };
    }
    case 'notice':
      return { ...state, notices: keep([...state.notices, { t: e.t, level: e.level, text: e.text }], LIMITS.notices) };
    case 'halted':
      return {
        ...state,
        halted: { t: e.t, reason: e.reason, ...(e.guardrail ? { guardrail: e.guardrail } : {}) },
        markers: keep([...state.markers, { t: e.t, kind: 'halt' as const, label: e.reason }], LIMITS.markers),
      };
    case 'verdict':
      return { ...state, verdict: { outcome: e.outcome, isDeviated: e.isDeviated, criteria: e.criteria } };
    case 'run.finished':
      return { ...state, status: e.status, exitCode: e.exitCode };
    default:
      return assertNever(e);
  }
}

function assertNever(event: never): never {
  throw new Error(`unhandled event ${JSON.stringify(event)}`);
}

/** Folds a whole stream from the initial state. */
export function reduceAll(events: Iterable<DeckEvent>, from: ViewState = initialViewState): ViewState {
  let state = from;
  for (const event of events) state = reduce(state, event);
  return state;
}
