import { builtinScenarioRoot } from '../scenario/catalog';
import { loadLearningPath, type ResolvedEntry, type ResolvedPath } from './path';
import { readProgress, type Progress, type RunRecord } from './progress';

// Where a learner stands: which scenarios are done (a completed run reached
// the verdict the scenario is designed for), which one is next, and which
// week that puts them in. Pure over the path and the progress file.

/** The state of one entry on the path. */
export type EntryState = 'done' | 'attempted' | 'todo';

/** One entry with the learner's record on it. */
export interface EntryProgress {
  readonly entry: ResolvedEntry;
  readonly state: EntryState;
  readonly last?: RunRecord;
  readonly attempts: number;
}

/** What the home screen and `chaosdeck learn` show. */
export interface LearningPosition {
  /** The week of the next scenario (the last week once everything is done). */
  readonly week: number;
  /** The scenario to run next; undefined when the path is complete. */
  readonly next?: {
    /** The scenario's id, as the catalog lists it. */
    readonly scenarioId: string;
    readonly pack: string;
    /** `pack/id`, what `chaosdeck run` takes. */
    readonly ref: string;
    readonly title: string;
  };
  readonly done: number;
  readonly total: number;
}

/** True when a run counts: it completed and reached the verdict the scenario is designed for. */
export function isAccomplished(entry: Pick<ResolvedEntry, 'expectedVerdict'>, run: RunRecord): boolean {
  return (run.status === 'completed' || run.status === 'failed') && run.verdict === entry.expectedVerdict;
}

/** Every entry with its state. */
export function entryProgress(resolved: ResolvedPath, progress: Progress): EntryProgress[] {
  return resolved.entries.map((entry) => {
    const runs = progress.scenarios[`${entry.pack}/${entry.id}`]?.runs ?? [];
    const state: EntryState = runs.some((run) => isAccomplished(entry, run)) ? 'done' : runs.length > 0 ? 'attempted' : 'todo';
    return { entry, state, attempts: runs.length, ...(runs.length > 0 ? { last: runs[runs.length - 1] } : {}) };
  });
}

/** The position for a path and progress (no file access). */
export function positionOf(resolved: ResolvedPath, progress: Progress): LearningPosition {
  const states = entryProgress(resolved, progress);
  const next = states.find((s) => s.state !== 'done')?.entry;
  const lastWeek = resolved.path.weeks[resolved.path.weeks.length - 1]!.week;
  return {
    week: next?.week ?? lastWeek,
    ...(next ? { next: { scenarioId: next.id, pack: next.pack, ref: `${next.pack}/${next.id}`, title: next.title } } : {}),
    done: states.filter((s) => s.state === 'done').length,
    total: states.length,
  };
}

/**
 * Where the learner stands, from the progress kept in `stateDir` and the
 * built-in learning path (or the one under `scenarioRoot`). Synchronous, for
 * the home screen. Throws a DeckError only when the path file itself is broken.
 */
export function learningPosition(stateDir: string, scenarioRoot: string = builtinScenarioRoot()): LearningPosition {
  return positionOf(loadLearningPath(scenarioRoot), readProgress(stateDir));
}

/** One line for the home screen: `Week 2 of 4 · 3/10 done · next: CPU saturation`. */
export function positionSummary(position: LearningPosition, weeks: number): string {
  const head = `Week ${position.week} of ${weeks} · ${position.done}/${position.total} done`;
  return position.next ? `${head} · next: ${position.next.title}` : `${head} · path complete`;
}
