import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

// Where a running lab says how to reach it: $XDG_STATE_HOME/chaosdeck/lab/
// state.json (directory 0700, file 0600), with the supervisor's pid, its
// control API's port, the bearer token and the service URLs.

/** The state file's contents. */
export const LabStateSchema = z.object({
  version: z.literal(1),
  pid: z.number().int().positive(),
  controlPort: z.number().int().positive(),
  token: z.string().min(16),
  startedAt: z.string(),
  services: z.record(z.string(), z.string()),
  proxyApi: z.string(),
});
export type LabState = z.infer<typeof LabStateSchema>;

/** The lab's state directory for an environment (XDG_STATE_HOME, else ~/.local/state). */
export function labStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.trim() !== '' ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'chaosdeck', 'lab');
}

/** The state file's path inside a state directory. */
export function stateFilePath(stateDir: string): string {
  return join(stateDir, 'state.json');
}

/** Creates the state directory with mode 0700. */
export function ensureStateDir(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  chmodSync(stateDir, 0o700);
}

/** Writes the state file atomically with mode 0600. */
export function writeLabState(stateDir: string, state: LabState): void {
  ensureStateDir(stateDir);
  const path = stateFilePath(stateDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

/** Reads the state file; null when absent or unreadable. */
export function readLabState(stateDir: string): LabState | null {
  try {
    const parsed = LabStateSchema.safeParse(JSON.parse(readFileSync(stateFilePath(stateDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Removes the state file if it still names `pid` (or unconditionally without one). */
export function removeLabState(stateDir: string, pid?: number): void {
  const current = readLabState(stateDir);
  if (pid !== undefined && current && current.pid !== pid) return;
  rmSync(stateFilePath(stateDir), { force: true });
}
