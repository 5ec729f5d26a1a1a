import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The presenter token must never be projected. When the deck shares a run it
// keeps the token in a 0600 file in the state directory instead of printing
// it; `chaosdeck follow URL --notes` on the same machine reads it from there.

interface PresenterShare {
  readonly base: string;
  readonly presenterToken: string;
}

const fileFor = (stateDir: string, base: string) => join(stateDir, 'share', `${new URL(base).port || '80'}.json`);

/** Records a running share's presenter token for this machine's user only. */
export function writePresenterShare(stateDir: string, base: string, presenterToken: string): void {
  mkdirSync(join(stateDir, 'share'), { recursive: true, mode: 0o700 });
  writeFileSync(fileFor(stateDir, base), JSON.stringify({ base, presenterToken } satisfies PresenterShare), { mode: 0o600 });
}

/** The presenter token of a share this machine runs at `base`, or null. */
export function readPresenterToken(stateDir: string, base: string): string | null {
  try {
    const share = JSON.parse(readFileSync(fileFor(stateDir, base), 'utf8')) as Partial<PresenterShare>;
    return typeof share.presenterToken === 'string' && share.base !== undefined && new URL(share.base).host === new URL(base).host ? share.presenterToken : null;
  } catch {
    return null;
  }
}

/** Forgets a share when it closes. */
export function removePresenterShare(stateDir: string, base: string): void {
  rmSync(fileFor(stateDir, base), { force: true });
}
