import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

// A learner's progress, kept in the state directory (learn/progress.json):
// every verdict a learning-path scenario reached, per scenario. Written to a
// temporary file and renamed, so a crash never leaves half a file.

const RunRecordSchema = z.strictObject({
  runId: z.string(),
  verdict: z.enum(['PASS', 'FAIL']),
  /** How the run ended (completed, failed, aborted, interrupted). */
  status: z.string(),
  /** Wall-clock ISO time the run finished. */
  at: z.string(),
  environment: z.string(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

const ScenarioProgressSchema = z.strictObject({
  runs: z.array(RunRecordSchema).default([]),
});
export type ScenarioProgress = z.infer<typeof ScenarioProgressSchema>;

export const ProgressSchema = z.strictObject({
  version: z.literal(1),
  /** Keyed by `pack/id`. */
  scenarios: z.record(z.string(), ScenarioProgressSchema).default({}),
});
export type Progress = z.infer<typeof ProgressSchema>;

const MAX_RUNS_KEPT = 50;

/** The progress file in a state directory. */
export function progressFile(stateDir: string): string {
  return join(stateDir, 'learn', 'progress.json');
}

/** Reads progress; an absent or unreadable file is a fresh start (never an error on the home screen). */
export function readProgress(stateDir: string): Progress {
  try {
    const parsed = ProgressSchema.safeParse(JSON.parse(readFileSync(progressFile(stateDir), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // absent or not JSON: start over
  }
  return { version: 1, scenarios: {} };
}

/** Writes progress atomically. */
export function writeProgress(stateDir: string, progress: Progress): void {
  const file = progressFile(stateDir);
  mkdirSync(join(stateDir, 'learn'), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(progress, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** Adds one run's verdict for `pack/id` and writes the file; returns the new progress. */
export function recordRun(stateDir: string, reference: string, record: RunRecord): Progress {
  const progress = readProgress(stateDir);
  const runs = [...(progress.scenarios[reference]?.runs ?? []), record].slice(-MAX_RUNS_KEPT);
  const next: Progress = { ...progress, scenarios: { ...progress.scenarios, [reference]: { runs } } };
  writeProgress(stateDir, next);
  return next;
}

/** Forgets all progress. */
export function resetProgress(stateDir: string): void {
  writeProgress(stateDir, { version: 1, scenarios: {} });
}

/** The latest run of a scenario, if any. */
export function lastRun(progress: Progress, reference: string): RunRecord | undefined {
  const runs = progress.scenarios[reference]?.runs ?? [];
  return runs[runs.length - 1];
}
