import { hostname, platform, release } from 'node:os';
import { z } from 'zod';
import type { DeckEvent } from '../engine/events';
import { RunStatusSchema } from '../engine/events';
import { CtkJournalFileSchema, CtkJournalRunSchema } from '../scenario/ctk/journal';
import { summarizeRun, type ActionRecord, type CheckRecord, type RunSummary } from './summary';

// A run as a Chaos Toolkit journal (chaostoolkit-lib's journal.json): status,
// deviated, steady_states before/after, run[], rollbacks[]. Teams that already
// keep Chaos Toolkit journals, dashboards or `chaos report` keep using them.
// The schema is strict where Chaos Toolkit's readers look and loose in the
// experiment and activity bodies, whose shape depends on the provider.

// The writer is the reader's schema (src/scenario/ctk/journal.ts, every chaoslib
// version) made strict where chaosdeck always writes a field.

/** One activity as it ran; chaosdeck always names its provider. */
export const CtkRunItemSchema = CtkJournalRunSchema.extend({
  activity: CtkJournalRunSchema.shape.activity.extend({ provider: z.looseObject({ type: z.string() }) }),
});
export type CtkRunItem = z.infer<typeof CtkRunItemSchema>;

const SteadyStateSchema = z.object({ steady_state_met: z.boolean(), probes: z.array(CtkRunItemSchema) }).nullable();

/** A Chaos Toolkit journal as chaosdeck writes it. */
export const CtkJournalSchema = CtkJournalFileSchema.extend({
  status: RunStatusSchema,
  deviated: z.boolean(),
  steady_states: z.object({ before: SteadyStateSchema, after: SteadyStateSchema, during: z.array(z.unknown()) }),
  run: z.array(CtkRunItemSchema),
  rollbacks: z.array(CtkRunItemSchema),
});
export type CtkJournal = z.infer<typeof CtkJournalSchema>;

/** Options for building a journal. */
export interface CtkJournalOptions {
  /** Written as `chaoslib-version` so readers know who produced it. */
  readonly chaosdeckVersion: string;
  /** Machine name; defaults to this host's. */
  readonly node?: string;
}

// Chaos Toolkit writes naive ISO timestamps without a zone; we keep the zone, which its readers accept.
const isoAt = (startedAt: string, t: number) => new Date(Date.parse(startedAt) + t).toISOString();

function provider(action: ActionRecord): CtkRunItem['activity']['provider'] {
  const command = action.commands[0];
  if (action.verb === 'http') return { type: 'http', url: command?.display ?? action.summary };
  if (command && !command.isDryRun && command.argv.length > 0 && (action.driver === 'shell' || action.verb === 'exec')) {
    return { type: 'process', path: command.argv[0]!, arguments: command.argv.slice(1) };
  }
  return { type: 'chaosdeck', driver: action.driver, verb: action.verb, ...(action.target ? { target: action.target } : {}) };
}

function outputOf(action: ActionRecord): unknown {
  if (action.output !== undefined) return action.output;
  const command = action.commands.at(-1);
  if (!command) return null;
  return { status: command.exitCode, stdout: command.stdout.join('\n'), stderr: command.stderr.join('\n') };
}

// ---- imported Chaos Toolkit experiments ----------------------------------------
// A run of an imported experiment embeds the experiment as written and names
// each activity as the experiment does, as Chaos Toolkit's own journals do.

type Activities = ReadonlyMap<string, CtkRunItem['activity']>;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function originalExperiment(summary: RunSummary): Record<string, unknown> | undefined {
  const origin = summary.scenario.origin;
  return origin?.format === 'chaostoolkit' && origin.document ? origin.document : undefined;
}

function activitiesOf(experiment: Record<string, unknown> | undefined): Activities {
  const out = new Map<string, CtkRunItem['activity']>();
  if (!experiment) return out;
  const hypothesis = experiment['steady-state-hypothesis'];
  const lists = [isRecord(hypothesis) ? hypothesis.probes : undefined, experiment.method, experiment.rollbacks];
  for (const list of lists) {
    for (const activity of Array.isArray(list) ? list : []) {
      const parsed = CtkRunItemSchema.shape.activity.safeParse(activity);
      if (parsed.success && !out.has(parsed.data.name)) out.set(parsed.data.name, parsed.data);
    }
  }
  return out;
}

// The importer names actions after their activity; not-runnable ones carry a suffix.
const activityName = (summary: string) => summary.replace(/ \(not runnable: .*\)$/, '');

function runItem(summary: RunSummary, action: ActionRecord, activities: Activities = new Map()): CtkRunItem {
  const end = action.finishedAt ?? summary.durationMs;
  const original = activities.get(activityName(action.summary));
  const output = outputOf(action);
  // Chaos Toolkit's process provider succeeds whatever the exit code: the code is its output's status.
  const hasExited = original?.provider.type === 'process' && isRecord(output) && typeof output.status === 'number';
  const status = action.status === 'ok' || action.status === 'dry-run' || hasExited ? 'succeeded' : action.status === 'skipped' ? 'skipped' : 'failed';
  return {
    activity: original ?? { type: action.kind === 'probe' ? 'probe' : 'action', name: action.summary, provider: provider(action) },
    status,
    output,
    ...(status === 'failed' ? { exception: [action.error ?? action.status] } : {}),
    start: isoAt(summary.startedAt, action.startedAt),
    end: isoAt(summary.startedAt, end),
    duration: Math.max(0, end - action.startedAt) / 1000,
  };
}

function checkItem(summary: RunSummary, check: CheckRecord, activities: Activities = new Map()): CtkRunItem {
  const original = activities.get(check.label.replace(/ \((before|after|during)\)$/, ''));
  return {
    activity: original ?? { type: 'probe', name: check.label, provider: { type: 'chaosdeck', check: check.expected ?? check.label } },
    status: check.status === 'skipped' ? 'skipped' : 'succeeded',
    output: check.observed ?? null,
    start: isoAt(summary.startedAt, check.startedAt),
    end: isoAt(summary.startedAt, check.t),
    duration: Math.max(0, check.t - check.startedAt) / 1000,
    tolerance_met: check.status === 'met',
  };
}

function steadyState(summary: RunSummary, which: 'before' | 'after', activities?: Activities): CtkJournal['steady_states']['before'] {
  const probes = summary.checks.filter((c) => c.kind === 'steady-state' && c.checkId.startsWith(`steady-${which}-`));
  if (probes.length === 0) return null;
  return { steady_state_met: probes.every((c) => c.status === 'met'), probes: probes.map((c) => checkItem(summary, c, activities)) };
}

/** Builds the journal from a summary (see buildCtkJournal). */
export function ctkJournalFromSummary(summary: RunSummary, options: CtkJournalOptions): CtkJournal {
  const scenario = summary.scenario;
  const original = originalExperiment(summary);
  const activities = activitiesOf(original);
  // Controls are not activities: Chaos Toolkit's journal does not list them in `run`.
  const isControl = (a: ActionRecord) => original !== undefined && a.verb === 'unsupported' && a.summary.startsWith('control ');
  const method = summary.actions.filter((a) => a.step !== null && a.kind === 'action' && !isControl(a));
  const rollbacks = summary.actions.filter((a) => (a.kind === 'undo' || a.kind === 'rollback') && !isControl(a));
  const chaosdeck = { name: 'chaosdeck', scenario: scenario.id, runId: summary.runId, environment: summary.environment.name, mode: summary.mode, criteria: summary.criteria };
  return {
    'chaoslib-version': `chaosdeck ${options.chaosdeckVersion}`,
    platform: `${platform()} ${release()}`,
    node: options.node ?? hostname(),
    experiment: original ? { ...original, title: scenario.title, extensions: [...(Array.isArray(original.extensions) ? (original.extensions as unknown[]) : []), chaosdeck] } : {
      title: scenario.title,
      ...(scenario.summary ? { description: scenario.summary } : {}),
      tags: scenario.tags,
      'steady-state-hypothesis': { title: scenario.hypothesis.trim() },
      extensions: [chaosdeck],
    },
    start: summary.startedAt,
    end: isoAt(summary.startedAt, summary.durationMs),
    duration: summary.durationMs / 1000,
    status: summary.status,
    deviated: summary.isDeviated,
    steady_states: { before: steadyState(summary, 'before', activities), after: steadyState(summary, 'after', activities), during: [] },
    run: method.map((a) => runItem(summary, a, activities)),
    rollbacks: rollbacks.map((a) => runItem(summary, a, activities)),
  };
}

/** A run's events as a Chaos Toolkit journal; throws when the events have no `run.started`. */
export function buildCtkJournal(events: Iterable<DeckEvent>, options: CtkJournalOptions): CtkJournal {
  return ctkJournalFromSummary(summarizeRun(events), options);
}
