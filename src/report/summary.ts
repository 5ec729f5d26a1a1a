import type { BreakerState, CriterionResult, DeckEvent, EventOf, Phase, RunMode, RunStatus } from '../engine/events';
import { evaluateCriteria, Measurements } from '../engine/measures';
import type { Scenario } from '../scenario/schema';

// Everything a report says about a run, computed from its events alone: the
// verdict through the same Measurements and evaluateCriteria the live run
// used, the figures per window, the timeline, breaker transitions, restarts,
// and the faults still injected. report.md and journal.json both render this.

/** Figures over one window of the run. */
export interface WindowFigures {
  readonly window: 'baseline' | 'impact' | 'recovery';
  /** [from, to) in run ms. */
  readonly from: number;
  readonly to: number;
  /** Averages of the latency samples inside the window; undefined without samples. */
  readonly p50?: number;
  readonly p95?: number;
  /** The highest p95 sample inside the window (criteria on p95 usually take the max). */
  readonly p95Max?: number;
  /** Fraction 0..1. */
  readonly errorRate?: number;
  /** Requests per second. */
  readonly throughput?: number;
  readonly samples: number;
}

/** One command as it ran. */
export interface CommandRecord {
  readonly commandId: string;
  readonly display: string;
  readonly argv: readonly string[];
  readonly isDryRun: boolean;
  readonly startedAt: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number | null;
  readonly isTimedOut: boolean;
  readonly isCanceled: boolean;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

/** One action (or probe, or undo) as it ran. */
export interface ActionRecord {
  readonly actionId: string;
  readonly step: number | null;
  readonly kind: 'action' | 'probe' | 'undo' | 'rollback';
  readonly target: string | null;
  readonly verb: string;
  readonly driver: string;
  readonly summary: string;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly status: EventOf<'action.finished'>['status'] | 'running';
  readonly durationMs: number | null;
  readonly error?: string;
  readonly output?: unknown;
  readonly commands: readonly CommandRecord[];
}

/** One step as it ran. */
export interface StepRecord {
  readonly index: number;
  readonly phase: Phase;
  readonly title: string;
  readonly enteredAt: number | null;
  readonly finishedAt: number | null;
  readonly status: 'done' | 'failed' | 'skipped' | 'not run';
}

/** A check's final reading. */
export interface CheckRecord {
  readonly checkId: string;
  readonly kind: EventOf<'check'>['kind'];
  readonly step: number | null;
  readonly label: string;
  readonly status: EventOf<'check'>['status'];
  readonly observed?: string;
  readonly expected?: string;
  readonly startedAt: number;
  readonly t: number;
}

/** A run's story and figures. */
export interface RunSummary {
  readonly runId: string;
  readonly scenario: Scenario;
  readonly environment: { readonly name: string; readonly isLab: boolean };
  readonly mode: RunMode;
  readonly startedAt: string;
  /** Run ms of the last event. */
  readonly durationMs: number;
  /** How the run ended; `interrupted` when the recording stops before run.finished. */
  readonly status: RunStatus;
  readonly isFinished: boolean;
  readonly exitCode: number | null;
  readonly outcome: 'PASS' | 'FAIL' | null;
  readonly isDeviated: boolean;
  /** Criteria evaluated from the events (Measurements + evaluateCriteria). */
  readonly criteria: readonly CriterionResult[];
  readonly figures: readonly WindowFigures[];
  /** Seconds from the first undo until latency and errors were back near the baseline; undefined when not measured. */
  readonly recoverySeconds?: number;
  readonly steps: readonly StepRecord[];
  readonly actions: readonly ActionRecord[];
  readonly checks: readonly CheckRecord[];
  readonly breakerTransitions: readonly { readonly t: number; readonly name: string; readonly from: BreakerState | null; readonly to: BreakerState }[];
  readonly restarts: readonly { readonly t: number; readonly target: string; readonly from: number; readonly to: number }[];
  /** Undos registered and never completed. */
  readonly faultsLeft: readonly { readonly undoId: string; readonly summary: string; readonly t: number }[];
  readonly halted: { readonly t: number; readonly reason: string; readonly guardrail?: string } | null;
  readonly notices: readonly { readonly t: number; readonly level: string; readonly text: string }[];
}

const average = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined);

const OUTPUT_LINES_KEPT = 50;

/** Summarises a run from its events; throws when there is no `run.started`. */
export function summarizeRun(events: Iterable<DeckEvent>): RunSummary {
  const measurements = new Measurements();
  let started: EventOf<'run.started'> | null = null;
  let finished: EventOf<'run.finished'> | null = null;
  let verdict: EventOf<'verdict'> | null = null;
  let halted: RunSummary['halted'] = null;
  let lastT = 0;
  const steps = new Map<number, { enteredAt: number; finishedAt: number | null; status: StepRecord['status'] }>();
  const actions = new Map<string, ActionRecord & { commands: CommandRecord[] }>();
  const commands = new Map<string, CommandRecord & { stdout: string[]; stderr: string[] }>();
  const checks = new Map<string, CheckRecord>();
  const breakers = new Map<string, BreakerState>();
  const breakerTransitions: RunSummary['breakerTransitions'][number][] = [];
  const restartCounts = new Map<string, number>();
  const restarts: RunSummary['restarts'][number][] = [];
  const pending = new Map<string, { undoId: string; summary: string; t: number }>();
  const undoActions = new Set<string>();
  const notices: RunSummary['notices'][number][] = [];

  for (const event of events) {
    measurements.observe(event);
    lastT = Math.max(lastT, event.t);
    switch (event.type) {
      case 'run.started':
        started = event;
        break;
      case 'step.entered': {
        const previous = steps.get(event.index);
        steps.set(event.index, { enteredAt: previous?.enteredAt ?? event.t, finishedAt: previous?.finishedAt ?? null, status: previous?.status ?? 'not run' });
        break;
      }
      case 'step.finished': {
        const previous = steps.get(event.index);
        steps.set(event.index, { enteredAt: previous?.enteredAt ?? event.t, finishedAt: event.t, status: event.status });
        break;
      }
      case 'action.started': {
        const kind = event.isProbe ? 'probe' : event.verb.startsWith('undo ') ? 'undo' : event.step === null ? 'rollback' : 'action';
        if (kind === 'undo') undoActions.add(event.actionId);
        actions.set(event.actionId, {
          actionId: event.actionId, step: event.step, kind, target: event.target, verb: event.verb, driver: event.driver, summary: event.summary,
          startedAt: event.t, finishedAt: null, status: 'running', durationMs: null, commands: [],
        });
        break;
      }
      case 'action.finished': {
        const action = actions.get(event.actionId);
        if (action) {
          actions.set(event.actionId, {
            ...action, finishedAt: event.t, status: event.status, durationMs: event.durationMs,
            ...(event.error ? { error: event.error } : {}), ...(event.output !== undefined ? { output: event.output } : {}),
          });
        }
        break;
      }
      case 'command.started': {
        const command = {
          commandId: event.commandId, display: event.display, argv: event.argv, isDryRun: event.isDryRun, startedAt: event.t,
          exitCode: null, signal: null, durationMs: null, isTimedOut: false, isCanceled: false, stdout: [], stderr: [],
        };
        commands.set(event.commandId, command);
        actions.get(event.actionId)?.commands.push(command);
        break;
      }
      case 'command.output': {
        const command = commands.get(event.commandId);
        if (command) {
          const lines = command[event.stream];
          lines.push(...event.lines);
          if (lines.length > OUTPUT_LINES_KEPT) lines.splice(0, lines.length - OUTPUT_LINES_KEPT);
        }
        break;
      }
      case 'command.finished': {
        const command = commands.get(event.commandId);
        if (command) Object.assign(command, { exitCode: event.exitCode, signal: event.signal, durationMs: event.durationMs, isTimedOut: event.isTimedOut, isCanceled: event.isCanceled });
        break;
      }
      case 'rollback.registered':
        pending.set(event.undoId, { undoId: event.undoId, summary: event.summary, t: event.t });
        break;
      case 'rollback.finished':
        if (event.isOk) pending.delete(event.undoId);
        break;
      case 'check': {
        const previous = checks.get(event.checkId);
        checks.set(event.checkId, {
          checkId: event.checkId, kind: event.kind, step: event.step, label: event.label, status: event.status,
          ...(event.observed !== undefined ? { observed: event.observed } : {}), ...(event.expected !== undefined ? { expected: event.expected } : {}),
          startedAt: previous?.startedAt ?? event.t, t: event.t,
        });
        break;
      }
      case 'breaker': {
        const from = breakers.get(event.name) ?? null;
        if (from !== event.state) {
          if (from !== null || event.state !== 'CLOSED') breakerTransitions.push({ t: event.t, name: event.name, from, to: event.state });
          breakers.set(event.name, event.state);
        }
        break;
      }
      case 'status':
        for (const target of event.targets) {
          const key = `${event.source}/${target.name}`;
          const before = restartCounts.get(key);
          if (before !== undefined && target.restarts > before) restarts.push({ t: event.t, target: target.name, from: before, to: target.restarts });
          restartCounts.set(key, target.restarts);
        }
        break;
      case 'halted':
        halted = { t: event.t, reason: event.reason, ...(event.guardrail ? { guardrail: event.guardrail } : {}) };
        break;
      case 'notice':
        if (event.level !== 'info') notices.push({ t: event.t, level: event.level, text: event.text });
        break;
      case 'verdict':
        verdict = event;
        break;
      case 'run.finished':
        finished = event;
        break;
      default:
        break;
    }
  }
  if (!started) throw new Error('the events have no run.started: nothing to report');
  const run: EventOf<'run.started'> = started;
  const end: EventOf<'run.finished'> | null = finished;
  const verdictEvent: EventOf<'verdict'> | null = verdict;
  const criteria = evaluateCriteria(run.scenario.criteria, measurements);
  const figures = (['baseline', 'impact', 'recovery'] as const).map((window): WindowFigures => {
    const [from, to] = measurements.window(window);
    const p50 = average(measurements.values('p50', window));
    const p95Samples = measurements.values('p95', window);
    const p95 = average(p95Samples);
    const p95Max = p95Samples.length ? Math.max(...p95Samples) : undefined;
    const errorRate = average(measurements.values('errorRate', window));
    const throughput = average(measurements.values('rps', window));
    return {
      window, from, to, samples: p95Samples.length,
      ...(p50 !== undefined ? { p50 } : {}), ...(p95 !== undefined ? { p95 } : {}), ...(p95Max !== undefined ? { p95Max } : {}),
      ...(errorRate !== undefined ? { errorRate } : {}), ...(throughput !== undefined ? { throughput } : {}),
    };
  });
  const recovery = measurements.recoverySeconds();
  const status = end?.status ?? 'interrupted';
  const isDeviated = verdictEvent?.isDeviated ?? false;
  const outcome = verdictEvent ? (status === 'completed' && !isDeviated && criteria.every((c) => c.isOk) ? 'PASS' : 'FAIL') : null;
  return {
    runId: run.runId,
    scenario: run.scenario,
    environment: run.environment,
    mode: run.mode,
    startedAt: run.startedAt,
    durationMs: lastT,
    status,
    isFinished: end !== null,
    exitCode: end?.exitCode ?? null,
    outcome,
    isDeviated,
    criteria,
    figures,
    ...(Number.isFinite(recovery) ? { recoverySeconds: recovery } : {}),
    steps: run.scenario.steps.map((step, index) => {
      const seen = steps.get(index);
      return { index, phase: step.phase, title: step.title, enteredAt: seen?.enteredAt ?? null, finishedAt: seen?.finishedAt ?? null, status: seen?.status ?? 'not run' };
    }),
    actions: [...actions.values()],
    checks: [...checks.values()],
    breakerTransitions,
    restarts,
    faultsLeft: [...pending.values()],
    halted,
    notices,
  };
}
