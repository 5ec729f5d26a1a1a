import { z } from 'zod';

// The scenario format: what to teach. Schemas are the types; every field a
// scenario author may write is declared here once, strict, so a typo is an
// error with a position and a did-you-mean rather than a silently ignored key.

/** A duration: a number of seconds or a string such as `500ms`, `5s`, `2m`, `1h`. */
export const DurationSchema = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'a duration such as 500ms, 5s, 2m or 1h'),
]);
export type Duration = z.infer<typeof DurationSchema>;

/** The four phases a scenario walks, in order. */
export const PhaseSchema = z.enum(['baseline', 'inject', 'observe', 'restore']);

/**
 * A tolerance: every constraint given must hold (an AND). Numbers compare
 * numerically; `regex` tests the value's string form; `oneOf` is membership.
 */
export const ToleranceSchema = z
  .strictObject({
    equals: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    range: z.tuple([z.number(), z.number()]).optional(),
    regex: z.string().optional(),
    oneOf: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    /**
     * `equals` and `oneOf` compare exactly (deep, no number/string coercion,
     * no trimming): Chaos Toolkit's `==`. Imported experiments set it.
     */
    strict: z.boolean().optional(),
    /** Test `value[target]` instead of the value when the value is a mapping with that key (Chaos Toolkit's `target`). */
    target: z.string().optional(),
    /**
     * A JSONPath query on the value (a JSON text is parsed first): it holds when
     * something matches, or when exactly `count` things match, or when the
     * matches equal `expect` (a list, or one value standing for a list of one).
     */
    jsonpath: z
      .strictObject({ path: z.string().min(1), expect: z.unknown().optional(), count: z.number().int().nonnegative().optional() })
      .optional(),
    /**
     * A probe run with the value (as its `value` argument): the tolerance holds
     * when that probe succeeds. Chaos Toolkit's `type: probe` tolerance.
     */
    probe: z.lazy((): z.ZodType<Action> => ActionSchema).optional(),
  })
  .refine(
    (t) => Object.entries(t).some(([k, v]) => v !== undefined && k !== 'strict' && k !== 'target'),
    'a tolerance needs at least one of equals, lt, lte, gt, gte, range, regex, oneOf, jsonpath, probe',
  );
export type Tolerance = z.infer<typeof ToleranceSchema>;

const actionCommon = {
  /** Optional id, for references from checks and the journal. */
  id: z.string().optional(),
  /** The logical target this action works on; its binding comes from the environment. */
  target: z.string().optional(),
  /** What to say about it; the deck shows a summary generated from the verb when absent. */
  description: z.string().optional(),
  timeout: DurationSchema.optional(),
  /** Ask y/N before running on a real environment even if the verb is not destructive. */
  confirm: z.boolean().optional(),
  /** Run in the background for the rest of the run (load generators, probes at a rate). */
  background: z.boolean().optional(),
  /** Keep going when this action fails. */
  allowFailure: z.boolean().optional(),
};

const verb = <V extends string, S extends z.ZodRawShape>(name: V, shape: S) =>
  z.strictObject({ verb: z.literal(name), ...actionCommon, ...shape });

const HttpRequestShape = {
  url: z.string(),
  method: z.string().default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  /** Query parameters (Chaos Toolkit `arguments` for GET). */
  query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  verifyTls: z.boolean().optional(),
};

const ExecShape = {
  argv: z.array(z.string()).min(1),
  /** The argv that undoes this one; without it the action is treated as having no side effect to undo. */
  undo: z.array(z.string()).min(1).optional(),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
};

/** One verb on one logical target. Every verb that changes the system has an undo, supplied by its driver. */
export const ActionSchema = z.discriminatedUnion('verb', [
  verb('stop', {}),
  verb('start', {}),
  verb('restart', { env: z.record(z.string(), z.string()).optional() }),
  verb('kill', { signal: z.string().default('SIGKILL') }),
  verb('pause', {}),
  verb('unpause', {}),
  verb('latency', { ms: z.number().nonnegative(), jitter: z.number().nonnegative().optional(), to: z.string().optional() }),
  verb('loss', { percent: z.number().min(0).max(100), to: z.string().optional() }),
  verb('partition', { to: z.string().optional(), direction: z.enum(['both', 'ingress', 'egress']).optional() }),
  verb('heal', { to: z.string().optional() }),
  verb('errors', { rate: z.number().min(0).max(1) }),
  verb('cpu', { percent: z.number().min(1).max(100).default(100), cores: z.number().positive().optional(), duration: DurationSchema.optional() }),
  verb('memory', { mb: z.number().positive(), duration: DurationSchema.optional() }),
  verb('scale', { replicas: z.number().int().nonnegative() }),
  verb('disconnect', { network: z.string() }),
  verb('connect', { network: z.string() }),
  verb('drain', { backend: z.string().optional() }),
  verb('http', { ...HttpRequestShape }),
  verb('load', {
    rate: z.number().positive().optional(),
    ramp: z.array(z.strictObject({ rate: z.number().positive(), duration: DurationSchema })).optional(),
    duration: DurationSchema.optional(),
    path: z.string().optional(),
  }),
  verb('exec', { ...ExecShape }),
  verb('shell', { command: z.string(), undo: z.string().optional(), env: z.record(z.string(), z.string()).optional() }),
  verb('wait', { duration: DurationSchema }),
  /**
   * An activity chaosdeck cannot run (a Chaos Toolkit python provider or
   * control): it loads, shows as "not runnable: <kind> <name>", and reports
   * status `unsupported` when reached.
   */
  verb('unsupported', {
    /** What it is, e.g. `python provider`. */
    kind: z.string(),
    /** Which one, e.g. `chaosk8s.pod.actions.terminate_pods`. */
    name: z.string(),
    arguments: z.unknown().optional(),
  }),
  verb('chaos', {
    /** A driver-native fault definition (a Chaos Mesh manifest for kubectl); deleted to restore. */
    kind: z.string(),
    spec: z.record(z.string(), z.unknown()),
    duration: DurationSchema.optional(),
  }),
]);
export type Action = z.infer<typeof ActionSchema>;
export type Verb = Action['verb'];
export const VERBS = ActionSchema.options.map((o) => o.shape.verb.value) as readonly Verb[];

/** Verbs that change nothing and so need no undo. */
export const READ_ONLY_VERBS: ReadonlySet<Verb> = new Set<Verb>(['http', 'wait', 'unsupported']);

/** Something observable that an expectation, a steady-state check or a guardrail tests. */
export const CheckSchema = z.union([
  z.strictObject({
    /** `p50`, `p95`, `p99`, `errorRate`, `rps`, or the name of a `metric` event. */
    metric: z.string(),
    source: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    tolerance: ToleranceSchema,
  }),
  z.strictObject({
    status: z.string(),
    state: z.string().optional(),
    ready: z.boolean().optional(),
    restarts: ToleranceSchema.optional(),
  }),
  z.strictObject({ breaker: z.string(), state: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']) }),
  z.strictObject({ log: z.string(), source: z.string().optional() }),
  z.strictObject({ alert: z.string(), state: z.enum(['firing', 'pending', 'inactive', 'ok']).default('firing') }),
  z.strictObject({
    probe: ActionSchema,
    /** What of the probe's output to test: its exit status or HTTP status by default. */
    path: z.string().optional(),
    tolerance: ToleranceSchema,
  }),
]);
export type Check = z.infer<typeof CheckSchema>;

/** What the room should see, with an optional automatic check and a deadline. */
export const ExpectationSchema = z.strictObject({
  text: z.string(),
  check: CheckSchema.optional(),
  /** How long after the step's actions the check may take to hold. */
  within: DurationSchema.optional(),
});
export type Expectation = z.infer<typeof ExpectationSchema>;

export const WaitSchema = z.union([
  z.strictObject({ duration: DurationSchema }),
  z.strictObject({ until: CheckSchema, max: DurationSchema }),
]);
export type Wait = z.infer<typeof WaitSchema>;

export const StepSchema = z.strictObject({
  id: z.string().optional(),
  phase: PhaseSchema,
  title: z.string(),
  /** Markdown shown to the presenter and the room. */
  notes: z.string().optional(),
  /** Talking points: presenter-only. */
  say: z.array(z.string()).default([]),
  /** Instructions for students following along. */
  student: z.string().optional(),
  run: z.array(ActionSchema).default([]),
  expect: z.array(ExpectationSchema).default([]),
  wait: WaitSchema.optional(),
  /** Needs root on the machine that runs the step's commands. */
  needsRoot: z.boolean().optional(),
});
export type Step = z.infer<typeof StepSchema>;

/** Which window of the run a measure is taken over. */
export const WindowSchema = z.enum(['baseline', 'inject', 'observe', 'restore', 'impact', 'recovery', 'run']);

/**
 * A success criterion: a measure over a window against a tolerance.
 * Measures: p50, p95, p99, errorRate, rps (from latency events); `recovery`
 * (seconds from the first undo until latency and errors are back within the
 * baseline); `latencyIncrease` (impact p95 over baseline p95); `restarts`;
 * `checks` (fraction of expectations met); any metric event name.
 */
export const CriterionSchema = z.strictObject({
  name: z.string(),
  measure: z.string(),
  window: WindowSchema.default('run'),
  aggregate: z.enum(['max', 'min', 'avg', 'last', 'p95']).default('max'),
  labels: z.record(z.string(), z.string()).optional(),
  tolerance: ToleranceSchema,
});
export type Criterion = z.infer<typeof CriterionSchema>;

/** A guardrail: when the measure is outside its tolerance for `for`, halt and restore. */
export const StopConditionSchema = z.strictObject({
  name: z.string(),
  measure: z.string(),
  /** The bad condition, e.g. `{gt: 0.5}` for an error rate above 50 %. */
  when: ToleranceSchema,
  for: DurationSchema.default(0),
});
export type StopCondition = z.infer<typeof StopConditionSchema>;

export const SteadyStateSchema = z.strictObject({
  name: z.string(),
  check: CheckSchema,
  within: DurationSchema.optional(),
});

export const TargetSchema = z.strictObject({
  description: z.string().optional(),
});

export const ScenarioSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  title: z.string(),
  summary: z.string().optional(),
  difficulty: z.enum(['easy', 'medium', 'hard']).default('medium'),
  duration: DurationSchema.optional(),
  week: z.number().int().min(1).max(52).optional(),
  tags: z.array(z.string()).default([]),
  /** The pack a scenario belongs to (its folder), filled in by the loader when absent. */
  pack: z.string().optional(),
  requirements: z
    .strictObject({
      root: z.boolean().default(false),
      binaries: z.array(z.string()).default([]),
      drivers: z.array(z.string()).default([]),
    })
    .default({ root: false, binaries: [], drivers: [] }),
  hypothesis: z.string(),
  targets: z.record(z.string(), TargetSchema).default({}),
  steadyState: z.array(SteadyStateSchema).default([]),
  steps: z.array(StepSchema).min(1),
  criteria: z.array(CriterionSchema).default([]),
  stopConditions: z.array(StopConditionSchema).default([]),
  /** Extra undo actions run at restore, after the journal's own undos. */
  rollback: z.array(ActionSchema).default([]),
  /** A question for self-learners after the restore phase. */
  reflection: z.string().optional(),
  /** Where an imported scenario came from (a Chaos Toolkit experiment, for example). */
  origin: z
    .strictObject({
      format: z.string(),
      path: z.string().optional(),
      /** The source document as written (a Chaos Toolkit experiment, literal secrets masked), for journals that embed it. */
      document: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  /** Chaos Toolkit's `runtime` strategies, used when the command line sets none. */
  runtime: z
    .strictObject({
      hypothesisStrategy: z.enum(['default', 'before-method-only', 'after-method-only', 'during-method', 'continuously']).optional(),
      rollbackStrategy: z.enum(['default', 'always', 'never', 'deviated']).optional(),
    })
    .optional(),
});
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
