import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DeckError } from '../engine/errors';
import { builtinScenarioRoot, packScenarioFiles } from '../scenario/catalog';

// The learning path (scenarios/learning-path.yaml): weeks, each a list of lab
// scenarios a self-learner runs in order, with the real-environment
// experiment each one stands in for. Read synchronously so the home screen
// can ask for its position while it draws.

/** The file name of the learning path inside a scenarios folder. */
export const LEARNING_PATH_FILE = 'learning-path.yaml';

/** A reference to a scenario, `pack/id`. */
const ScenarioRefSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*$/, 'a scenario reference such as lab/db-sudden-death');

/** One scenario on the path. */
export const PathEntrySchema = z.strictObject({
  scenario: ScenarioRefSchema,
  /** Why this one, in a sentence the learner reads before starting. */
  why: z.string(),
  /** The real-environment experiments this lab scenario is the analog of. */
  realWorld: z.array(ScenarioRefSchema).default([]),
  /** A question to think about after the restore phase; the scenario's own `reflection` when absent. */
  reflection: z.string().optional(),
});
export type PathEntry = z.infer<typeof PathEntrySchema>;

/** One week. */
export const PathWeekSchema = z.strictObject({
  week: z.number().int().positive(),
  title: z.string(),
  goal: z.string(),
  scenarios: z.array(PathEntrySchema).min(1),
  /** Related lab scenarios that do not count towards progress. */
  alsoTry: z.array(ScenarioRefSchema).default([]),
});
export type PathWeek = z.infer<typeof PathWeekSchema>;

/** The whole path. */
export const LearningPathSchema = z.strictObject({
  title: z.string(),
  summary: z.string(),
  weeks: z.array(PathWeekSchema).min(1),
});
export type LearningPath = z.infer<typeof LearningPathSchema>;

/** A path entry resolved against the scenario files. */
export interface ResolvedEntry extends PathEntry {
  readonly week: number;
  readonly pack: string;
  readonly id: string;
  readonly title: string;
  readonly file: string;
  /** The verdict the scenario is designed to reach (FAIL for scenarios tagged `designed-to-fail`). */
  readonly expectedVerdict: 'PASS' | 'FAIL';
  readonly reflectionText: string | undefined;
}

/** The path with every entry resolved, in the order a learner walks it. */
export interface ResolvedPath {
  readonly path: LearningPath;
  readonly entries: readonly ResolvedEntry[];
}

/** The tag that marks a scenario designed to end in FAIL (it demonstrates a failure mode). */
export const DESIGNED_TO_FAIL_TAG = 'designed-to-fail';

const ScenarioHeadSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  tags: z.array(z.string()).default([]),
  reflection: z.string().optional(),
});

/** Finds a scenario file by `pack/id` under a scenarios root; null when absent. */
export function scenarioFileOf(root: string, reference: string): string | null {
  const [pack, id] = reference.split('/') as [string, string];
  const dir = join(root, pack);
  if (!existsSync(dir)) return null;
  return packScenarioFiles(dir).find((file) => file.endsWith(`/${id}.yaml`) || file.endsWith(`/${id}.yml`)) ?? null;
}

/** Reads the head of a scenario file (id, title, tags, reflection) without validating the rest. */
function readHead(file: string): z.infer<typeof ScenarioHeadSchema> {
  return ScenarioHeadSchema.parse(parse(readFileSync(file, 'utf8')));
}

/**
 * Loads and resolves the learning path under `root`. Throws a DeckError
 * (SCENARIO_INVALID) naming the problem when the file does not fit its schema
 * or names a scenario that does not exist.
 */
export function loadLearningPath(root: string = builtinScenarioRoot()): ResolvedPath {
  const file = join(root, LEARNING_PATH_FILE);
  if (!existsSync(file)) throw new DeckError('FILE_NOT_FOUND', `no learning path at ${file}`);
  const parsed = LearningPathSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');
    throw new DeckError('SCENARIO_INVALID', `${file}: ${issues}`, { cause: parsed.error });
  }
  const entries: ResolvedEntry[] = [];
  const seen = new Set<string>();
  for (const week of parsed.data.weeks) {
    for (const reference of [...week.scenarios.map((e) => e.scenario), ...week.alsoTry]) {
      if (!scenarioFileOf(root, reference)) throw new DeckError('SCENARIO_INVALID', `${file}: week ${week.week} names ${reference}, which is not a scenario under ${root}`);
    }
    for (const entry of week.scenarios) {
      if (seen.has(entry.scenario)) throw new DeckError('SCENARIO_INVALID', `${file}: ${entry.scenario} is on the path twice`);
      seen.add(entry.scenario);
      const scenarioFile = scenarioFileOf(root, entry.scenario)!;
      const head = readHead(scenarioFile);
      const [pack, id] = entry.scenario.split('/') as [string, string];
      entries.push({
        ...entry,
        week: week.week,
        pack,
        id,
        title: head.title,
        file: scenarioFile,
        expectedVerdict: head.tags.includes(DESIGNED_TO_FAIL_TAG) ? 'FAIL' : 'PASS',
        reflectionText: entry.reflection ?? head.reflection,
      });
    }
  }
  return { path: parsed.data, entries };
}
