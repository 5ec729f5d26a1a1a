import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The state directory, `$XDG_STATE_HOME/chaosdeck` (default `~/.local/state/chaosdeck`),
 * created 0700. The lab computes the same path on its own (it imports nothing of the deck).
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'chaosdeck');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
