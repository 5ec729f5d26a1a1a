import { z } from 'zod';

// Chaos Toolkit journals as chaoslib has written them over its versions, for
// reading (tests, importing a team's past runs). Older chaoslib wrote no
// `deviated` and no `steady_states.during`, and a run that failed before its
// hypothesis wrote `steady_states: null`; activity bodies depend on the
// provider and stay loose. chaosdeck's own writer is src/report/ctk-journal.ts.

const ActivitySchema = z.looseObject({
  type: z.enum(['action', 'probe']),
  name: z.string(),
  provider: z.looseObject({ type: z.string() }).optional(),
  ref: z.string().optional(),
});

/** One activity as it ran. */
export const CtkJournalRunSchema = z.looseObject({
  activity: ActivitySchema,
  status: z.enum(['succeeded', 'failed', 'skipped']),
  output: z.unknown().optional(),
  exception: z.array(z.string()).optional(),
  start: z.string(),
  end: z.string(),
  duration: z.number().nonnegative(),
  tolerance_met: z.boolean().optional(),
});

const SteadyStateSchema = z.looseObject({ steady_state_met: z.boolean().nullable(), probes: z.array(CtkJournalRunSchema) }).nullable();

/** A journal file, any chaoslib version since 1.0. */
export const CtkJournalFileSchema = z.looseObject({
  'chaoslib-version': z.string(),
  platform: z.string(),
  node: z.string(),
  experiment: z.looseObject({ title: z.string(), description: z.string().optional() }),
  start: z.string(),
  end: z.string(),
  duration: z.number().nonnegative(),
  status: z.enum(['completed', 'failed', 'aborted', 'interrupted']),
  deviated: z.boolean().optional(),
  steady_states: z
    .looseObject({ before: SteadyStateSchema.optional(), after: SteadyStateSchema.optional(), during: z.array(SteadyStateSchema).optional() })
    .nullable()
    .optional(),
  run: z.array(CtkJournalRunSchema),
  rollbacks: z.array(CtkJournalRunSchema),
});
export type CtkJournalFile = z.infer<typeof CtkJournalFileSchema>;
