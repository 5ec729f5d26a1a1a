import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Shared by tests: waiting on a condition with a deadline (never a fixed
// sleep), temp dirs, and the built CLI as a real child process.

/** How long and how often waitFor polls. */
export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  readonly message?: string;
  /** Keep polling when the predicate throws (a service restarting); the last error is reported on timeout. */
  readonly isRetryingErrors?: boolean;
}

/** Resolves with the predicate's first truthy value; rejects naming `message` after `timeoutMs`. */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 25, message = 'condition', isRetryingErrors = false }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      if (!isRetryingErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A fresh temp directory. */
export function tempDir(prefix = 'chaosdeck-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export const repoRoot = join(import.meta.dirname, '..');
export const cliPath = join(repoRoot, 'bin', 'chaosdeck.js');

/** A running CLI with its output collected. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or 128+signal). */
  readonly exited: Promise<number>;
}

/** Spawns `chaosdeck ARGS` (the built bundle) with extra environment; CI is removed so nothing changes mode. */
export function spawnCli(args: string[], { env = {}, cwd = repoRoot, input }: { env?: Record<string, string>; cwd?: string; input?: string } = {}): CliProcess {
  const base = { ...process.env };
  delete base.CI;
  // Runs record themselves; a test's recordings go to a temp dir, not the repository's recordings/.
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: { ...base, NO_COLOR: '1', CHAOSDECK_RECORDINGS: tempDir('chaosdeck-rec-'), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  if (input !== undefined) child.stdin!.end(input);
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 2))));
  return { child, stdout: () => out, stderr: () => err, exited };
}
