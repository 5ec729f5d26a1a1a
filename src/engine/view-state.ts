import type { BreakerState, CriterionResult, Phase, RunMode, RunStatus } from './events';
import type { Scenario } from '../scenario/schema';

// What the deck shows, derived from events only. JSON-safe, so a share server
// can send it to a late joiner as a snapshot and a test can compare two of them.

/** Bounds that keep memory flat however long a run lasts. */
export const LIMITS = {
  logLines: 5_000,
  commandOutputLines: 200,
  actions: 60,
  latencySamples: 900,
  breakerTransitions: 12,
  notices: 20,
  markers: 50,
} as const;

/** A step's progress. */
export type StepProgress = 'pending' | 'current' | 'done' | 'failed' | 'skipped';

export interface CommandView {
  readonly commandId: string;
  readonly display: string;
  readonly isShell: boolean;
  readonly isDryRun: boolean;
  readonly startedAt: number;
  readonly output: readonly { stream: 'stdout' | 'stderr'; text: string }[];
  /** Output lines beyond the bound that were dropped. */
  readonly outputDropped: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number | null;
  readonly isTimedOut: boolean;
  readonly isCanceled: boolean;
  readonly isRunning: boolean;
}

export interface ActionView {
  readonly actionId: string;
  readonly step: number | null;
  readonly target: string | null;
  readonly verb: string;
  readonly driver: string;
  readonly summary: string;
  readonly isProbe: boolean;
  readonly startedAt: number;
  readonly status: 'running' | 'ok' | 'failed' | 'skipped' | 'dry-run' | 'unsupported';
  readonly durationMs: number | null;
  readonly error?: string;
  readonly commands: readonly CommandView[];
}

export interface LogLineView {
  readonly t: number;
  readonly source: string;
  readonly text: string;
  /** The source's own timestamp (wall-clock ms), when it gave one. */
  readonly ts?: number;
}

export interface TargetView {
  readonly key: string;
  readonly source: string;
  readonly name: string;
  readonly state: string;
  readonly isReady: boolean;
  readonly restarts: number;
  readonly since?: number;
  readonly detail?: string;
  /** Run time of the last change of state, readiness or restarts, for a brief highlight. */
  readonly changedAt: number;
}

export interface LatencySample {
  readonly t: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly rps: number;
  readonly errorRate: number;
}

export interface BreakerView {
  readonly name: string;
  readonly source: string;
  readonly state: BreakerState;
  /** Run time when it entered this state. */
  readonly since: number;
  readonly failureRate?: number;
  readonly transitions: readonly { t: number; from: BreakerState; to: BreakerState }[];
}

export interface CheckView {
  readonly checkId: string;
  readonly kind: 'expect' | 'steady-state' | 'criterion' | 'guardrail';
  readonly step: number | null;
  readonly label: string;
  readonly status: 'pending' | 'met' | 'missed' | 'skipped';
  readonly observed?: string;
  readonly expected?: string;
  readonly t: number;
}

export interface MarkerView {
  readonly t: number;
  readonly kind: 'inject' | 'restore' | 'halt';
  readonly label: string;
}

export interface FaultView {
  readonly undoId: string;
  readonly actionId: string;
  readonly summary: string;
  readonly t: number;
}

export interface MetricView {
  readonly key: string;
  readonly source: string;
  readonly name: string;
  readonly value: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly unit?: string;
  readonly t: number;
}

export interface AlertView {
  readonly name: string;
  readonly source: string;
  readonly state: 'firing' | 'pending' | 'inactive' | 'ok';
  readonly summary?: string;
  readonly t: number;
}

export interface RunView {
  readonly runId: string;
  readonly scenario: Scenario;
  readonly environment: { readonly name: string; readonly isLab: boolean };
  readonly mode: RunMode;
  readonly isAuto: boolean;
  readonly startedAt: string;
}

/** Everything the panes draw. */
export interface ViewState {
  readonly run: RunView | null;
  readonly status: 'idle' | 'running' | RunStatus;
  readonly exitCode: number | null;
  readonly currentStep: number;
  readonly phase: Phase | null;
  readonly steps: readonly { readonly progress: StepProgress; readonly enteredAt: number | null }[];
  readonly actions: readonly ActionView[];
  readonly logs: { readonly lines: readonly LogLineView[]; readonly dropped: number; readonly total: number };
  readonly targets: readonly TargetView[];
  readonly latency: { readonly source: string | null; readonly samples: readonly LatencySample[] };
  readonly markers: readonly MarkerView[];
  readonly breakers: readonly BreakerView[];
  readonly metrics: readonly MetricView[];
  readonly alerts: readonly AlertView[];
  readonly checks: readonly CheckView[];
  readonly pendingFaults: readonly FaultView[];
  readonly notices: readonly { readonly t: number; readonly level: 'info' | 'warn' | 'error'; readonly text: string }[];
  /** Set when the run was halted; the deck shows it as a banner. */
  readonly halted: { readonly t: number; readonly reason: string; readonly guardrail?: string } | null;
  readonly verdict: { readonly outcome: 'PASS' | 'FAIL'; readonly isDeviated: boolean; readonly criteria: readonly CriterionResult[] } | null;
  /** Time of the latest event folded in. */
  readonly t: number;
}

/** The state before any event. */
export const initialViewState: ViewState = {
  run: null,
  status: 'idle',
  exitCode: null,
  currentStep: -1,
  phase: null,
  steps: [],
  actions: [],
  logs: { lines: [], dropped: 0, total: 0 },
  targets: [],
  latency: { source: null, samples: [] },
  markers: [],
  breakers: [],
  metrics: [],
  alerts: [],
  checks: [],
  pendingFaults: [],
  notices: [],
  halted: null,
  verdict: null,
  t: 0,
};
