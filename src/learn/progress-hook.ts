import type { DeckEvent, EventOf } from '../engine/events';
import { stateDir as defaultStateDir } from '../engine/state-dir';
import type { RunHook, RunHookInput } from '../cli/run-hooks';
import { loadLearningPath, type ResolvedPath } from './path';
import { positionOf } from './position';
import { recordRun } from './progress';

// Records a learner's progress from the run itself: when a live run of a
// learning-path scenario reaches its verdict, the verdict is stored in the
// state directory, and (outside --json) the scenario's reflection question and
// the next step on the path are printed once the run has restored everything.

/** Builds the progress hook for one run; null when there is nothing to record (dry-run, rehearsal). */
export async function learningProgressHook(input: RunHookInput): Promise<RunHook | null> {
  if (input.values['dry-run'] === true || input.values.rehearse === true) return null;
  let resolved: ResolvedPath;
  try {
    resolved = loadLearningPath();
  } catch {
    // A broken path file must never stop a run; `chaosdeck learn` reports it.
    return null;
  }
  let started: EventOf<'run.started'> | undefined;
  let verdict: EventOf<'verdict'> | undefined;
  let finished: EventOf<'run.finished'> | undefined;
  const sink = (event: DeckEvent) => {
    if (event.type === 'run.started') started = event;
    else if (event.type === 'verdict') verdict = event;
    else if (event.type === 'run.finished') finished = event;
  };
  return {
    sinks: [sink],
    async close() {
      if (!started || !verdict || started.mode !== 'live') return;
      const { scenario } = started;
      const reference = `${scenario.pack ?? ''}/${scenario.id}`;
      const entry = resolved.entries.find((e) => `${e.pack}/${e.id}` === reference);
      if (!entry) return;
      const stateDir = defaultStateDir(input.io.env);
      const progress = recordRun(stateDir, reference, {
        runId: started.runId,
        verdict: verdict.outcome,
        status: finished?.status ?? 'completed',
        at: new Date().toISOString(),
        environment: started.environment.name,
      });
      if (input.values.json === true) return;
      const position = positionOf(resolved, progress);
      const lines = [
        '',
        `Learning path: ${entry.title} — ${verdict.outcome}${verdict.outcome === entry.expectedVerdict ? ' (as designed)' : ` (designed to reach ${entry.expectedVerdict})`}; ${position.done}/${position.total} done.`,
        ...(entry.reflectionText ? [`Reflect: ${entry.reflectionText.trim()}`] : []),
        position.next ? `Next up (week ${position.week}): ${position.next.title} — chaosdeck run ${position.next.ref}` : 'You have finished the learning path.',
        '',
      ];
      input.io.stderr.write(lines.join('\n'));
    },
  };
}
