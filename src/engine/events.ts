import { z } from 'zod';
import { ScenarioSchema } from '../scenario/schema';

// The one stream every part shares (ARCHITECTURE.md): the engine and the live
// sources produce these; the UI reducer, recorder, share server and reporter
// consume them. Declared once here so recordings and followers' streams are
// validated on the way in.

/** A phase of a scenario, in the order a run walks them. */
export const PhaseSchema = z.enum(['baseline', 'inject', 'observe', 'restore']);
export type Phase = z.infer<typeof PhaseSchema>;

/** How the run touches the system. */
export const RunModeSchema = z.enum(['live', 'dry-run', 'rehearse']);
export type RunMode = z.infer<typeof RunModeSchema>;

/** How a run ended, in Chaos Toolkit's vocabulary. */
export const RunStatusSchema = z.enum(['completed', 'failed', 'aborted', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

const base = { t: z.number().nonnegative() };

const RunStarted = z.object({
  ...base,
  type: z.literal('run.started'),
  runId: z.string(),
  /** The scenario as loaded; replay and followers need nothing else to draw the notes. */
  scenario: ScenarioSchema,
  environment: z.object({ name: z.string(), isLab: z.boolean() }),
  mode: RunModeSchema,
  isAuto: z.boolean(),
  /** Wall-clock start, ISO 8601. */
  startedAt: z.string(),
});

const StepEntered = z.object({
  ...base,
  type: z.literal('step.entered'),
  index: z.number().int().nonnegative(),
  phase: PhaseSchema,
});

const StepFinished = z.object({
  ...base,
  type: z.literal('step.finished'),
  index: z.number().int().nonnegative(),
  status: z.enum(['done', 'failed', 'skipped']),
});

const ActionStarted = z.object({
  ...base,
  type: z.literal('action.started'),
  actionId: z.string(),
  /** Step index, or null for steady-state probes, rollbacks and guardrails. */
  step: z.number().int().nullable(),
  target: z.string().nullable(),
  verb: z.string(),
  driver: z.string(),
  /** One line a presenter can read aloud: "stop api-2", "latency 500 ms on api". */
  summary: z.string(),
  isProbe: z.boolean().default(false),
});

const CommandStarted = z.object({
  ...base,
  type: z.literal('command.started'),
  actionId: z.string(),
  commandId: z.string(),
  /** Exactly what runs, secrets redacted; `display` is what the audience sees after `$ `. */
  argv: z.array(z.string()),
  display: z.string(),
  isShell: z.boolean(),
  isDryRun: z.boolean(),
});

const CommandOutput = z.object({
  ...base,
  type: z.literal('command.output'),
  commandId: z.string(),
  stream: z.enum(['stdout', 'stderr']),
  lines: z.array(z.string()),
});

const CommandFinished = z.object({
  ...base,
  type: z.literal('command.finished'),
  commandId: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number().nonnegative(),
  isTimedOut: z.boolean(),
  isCanceled: z.boolean(),
});

const ActionFinished = z.object({
  ...base,
  type: z.literal('action.finished'),
  actionId: z.string(),
  status: z.enum(['ok', 'failed', 'skipped', 'dry-run', 'unsupported']),
  durationMs: z.number().nonnegative(),
  error: z.string().optional(),
  /** A probe's output (JSON-safe), for journals and checks. */
  output: z.unknown().optional(),
});

const RollbackRegistered = z.object({
  ...base,
  type: z.literal('rollback.registered'),
  undoId: z.string(),
  actionId: z.string(),
  summary: z.string(),
  /** False for generated traffic, which is not counted or restored as a fault. */
  isFault: z.boolean().default(true),
});

const RollbackStarted = z.object({
  ...base,
  type: z.literal('rollback.started'),
  undoId: z.string(),
  summary: z.string(),
});

const RollbackFinished = z.object({
  ...base,
  type: z.literal('rollback.finished'),
  undoId: z.string(),
  isOk: z.boolean(),
  error: z.string().optional(),
});

const LogLines = z.object({
  ...base,
  type: z.literal('log.lines'),
  source: z.string(),
  /** A batch: sources flush every ~50–100 ms rather than one event per line. */
  lines: z.array(z.object({ ts: z.number().optional(), text: z.string() })),
  /** Lines the source dropped before this batch because it fell behind. */
  dropped: z.number().int().nonnegative().default(0),
});

export const TargetStatusSchema = z.object({
  name: z.string(),
  state: z.string(),
  isReady: z.boolean(),
  restarts: z.number().int().nonnegative(),
  /** Wall-clock ms when the target entered its current state, if known. */
  since: z.number().optional(),
  detail: z.string().optional(),
});
export type TargetStatus = z.infer<typeof TargetStatusSchema>;

const Status = z.object({
  ...base,
  type: z.literal('status'),
  source: z.string(),
  targets: z.array(TargetStatusSchema),
});

const Latency = z.object({
  ...base,
  type: z.literal('latency'),
  source: z.string(),
  p50: z.number().nonnegative(),
  p95: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  rps: z.number().nonnegative(),
  /** Fraction 0..1 of requests that failed in the window. */
  errorRate: z.number().min(0).max(1),
});

export const BreakerStateSchema = z.enum(['CLOSED', 'OPEN', 'HALF_OPEN', 'DISABLED', 'FORCED_OPEN']);
export type BreakerState = z.infer<typeof BreakerStateSchema>;

const Breaker = z.object({
  ...base,
  type: z.literal('breaker'),
  source: z.string(),
  name: z.string(),
  state: BreakerStateSchema,
  failureRate: z.number().optional(),
});

const Metric = z.object({
  ...base,
  type: z.literal('metric'),
  source: z.string(),
  name: z.string(),
  value: z.number(),
  labels: z.record(z.string(), z.string()).optional(),
  unit: z.string().optional(),
});

const Alert = z.object({
  ...base,
  type: z.literal('alert'),
  source: z.string(),
  name: z.string(),
  state: z.enum(['firing', 'pending', 'inactive', 'ok']),
  summary: z.string().optional(),
});

const Check = z.object({
  ...base,
  type: z.literal('check'),
  checkId: z.string(),
  kind: z.enum(['expect', 'steady-state', 'criterion', 'guardrail']),
  step: z.number().int().nullable(),
  label: z.string(),
  status: z.enum(['pending', 'met', 'missed', 'skipped']),
  observed: z.string().optional(),
  expected: z.string().optional(),
});

const Notice = z.object({
  ...base,
  type: z.literal('notice'),
  level: z.enum(['info', 'warn', 'error']),
  text: z.string(),
});

const Halted = z.object({
  ...base,
  type: z.literal('halted'),
  reason: z.string(),
  /** Set when a stop condition (guardrail) halted the run by itself. */
  guardrail: z.string().optional(),
});

export const CriterionResultSchema = z.object({
  name: z.string(),
  threshold: z.string(),
  observed: z.string(),
  isOk: z.boolean(),
});
export type CriterionResult = z.infer<typeof CriterionResultSchema>;

const Verdict = z.object({
  ...base,
  type: z.literal('verdict'),
  outcome: z.enum(['PASS', 'FAIL']),
  isDeviated: z.boolean(),
  criteria: z.array(CriterionResultSchema),
});

const RunFinished = z.object({
  ...base,
  type: z.literal('run.finished'),
  status: RunStatusSchema,
  exitCode: z.number().int(),
  pendingFaults: z.number().int().nonnegative(),
});

/** Every event a run can produce. */
export const DeckEventSchema = z.discriminatedUnion('type', [
  RunStarted,
  StepEntered,
  StepFinished,
  ActionStarted,
  CommandStarted,
  CommandOutput,
  CommandFinished,
  ActionFinished,
  RollbackRegistered,
  RollbackStarted,
  RollbackFinished,
  LogLines,
  Status,
  Latency,
  Breaker,
  Metric,
  Alert,
  Check,
  Notice,
  Halted,
  Verdict,
  RunFinished,
]);
export type DeckEvent = z.infer<typeof DeckEventSchema>;
export type DeckEventType = DeckEvent['type'];
/** The event of one type, for handlers keyed by type. */
export type EventOf<K extends DeckEventType> = Extract<DeckEvent, { type: K }>;
/** An event before the emitter stamps its time. */
export type UnstampedEvent = DeckEvent extends infer E ? (E extends { t: number } ? Omit<E, 't'> : never) : never;

/** Receives events as they happen; every consumer of the stream is one of these. */
export type EventSink = (event: DeckEvent) => void;
