import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabEvent, LabStatus, LoadStatus, ProxyStatus, ServiceStatus, ToxicStatus } from './protocol';
import { delay, LabClient, LabUnavailableError } from './api-client';
import { ensureStateDir, labStateDir, readLabState, removeLabState } from './state-file';

// The one door to the lab for the deck, the CLI and the lab driver: finds the
// running supervisor through state.json and starts it (detached) when asked;
// the API client itself is in api-client.ts, re-exported here.

/** Where to look for the lab, and how to start it. */
export interface LabClientOptions {
  /** The lab state directory; defaults to $XDG_STATE_HOME/chaosdeck/lab. */
  readonly stateDir?: string;
  /** The environment to read XDG_STATE_HOME from and to start the supervisor with. */
  readonly env?: NodeJS.ProcessEnv;
  /** dist/lab-supervisor.js; found next to this bundle or under the package's dist/ when absent. */
  readonly supervisorScript?: string;
}

/** The state directory the options point at. */
export function resolveStateDir(options: LabClientOptions = {}): string {
  return options.stateDir ?? labStateDir(options.env ?? process.env);
}

/** The supervisor script to start: explicit, CHAOSDECK_LAB_SUPERVISOR, next to this file, or the package's dist/. */
export function supervisorScriptPath(options: LabClientOptions = {}): string {
  const explicit = options.supervisorScript ?? (options.env ?? process.env).CHAOSDECK_LAB_SUPERVISOR;
  if (explicit) return explicit;
  let directory = dirname(fileURLToPath(import.meta.url));
  const sibling = join(directory, 'lab-supervisor.js');
  if (existsSync(sibling)) return sibling;
  for (let i = 0; i < 6; i += 1) {
    const candidate = join(directory, 'dist', 'lab-supervisor.js');
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  throw new LabUnavailableError('dist/lab-supervisor.js not found: run `npm run build` first');
}

/** True when a process with this pid exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Connects to a running lab; null when none is running (a stale state file is removed). */
export async function findLab(options: LabClientOptions = {}): Promise<LabClient | null> {
  const stateDir = resolveStateDir(options);
  const state = readLabState(stateDir);
  if (!state) return null;
  if (!isProcessAlive(state.pid)) {
    removeLabState(stateDir, state.pid);
    return null;
  }
  const client = new LabClient(state, stateDir);
  try {
    await client.status();
    return client;
  } catch {
    return null;
  }
}

/**
 * Returns a client for the running lab, starting the supervisor (detached)
 * when none runs, and waits until every service is healthy. Idempotent.
 */
export async function startLab(options: LabClientOptions & { readonly timeoutMs?: number } = {}): Promise<LabClient> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const stateDir = resolveStateDir(options);
  const existing = await findLab(options);
  if (existing) {
    await existing.waitUntilReady(Math.max(1000, deadline - Date.now()));
    return existing;
  }
  ensureStateDir(stateDir);
  const lock = join(stateDir, 'start.lock');
  if (!takeLock(lock)) {
    // Someone else is starting it: wait for their lab.
    while (Date.now() < deadline) {
      const client = await findLab(options);
      if (client) {
        await client.waitUntilReady(Math.max(1000, deadline - Date.now()));
        return client;
      }
      if (!existsSync(lock)) return startLab(options);
      await delay(50);
    }
    throw new LabUnavailableError(`timed out waiting for another process to start the lab (${lock})`);
  }
  try {
    const script = supervisorScriptPath(options);
    const logPath = join(stateDir, 'supervisor.log');
    const log = openSync(logPath, 'a', 0o600);
    const child = spawn(process.execPath, [script, '--state-dir', stateDir], {
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...(options.env ?? process.env) },
    });
    closeSync(log);
    child.unref();
    let exitCode: number | null = null;
    child.once('exit', (code) => {
      exitCode = code ?? -1;
    });
    while (Date.now() < deadline) {
      if (exitCode !== null) throw new LabUnavailableError(`the lab supervisor exited (${exitCode}): ${tail(logPath)}`);
      const state = readLabState(stateDir);
      if (state && state.pid === child.pid) {
        const client = new LabClient(state, stateDir);
        await client.waitUntilReady(Math.max(1000, deadline - Date.now()));
        return client;
      }
      await delay(20);
    }
    if (child.pid) process.kill(child.pid, 'SIGTERM');
    throw new LabUnavailableError(`the lab did not start in time: ${tail(logPath)}`);
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Stops the lab: asks the supervisor to shut down, and if it does not answer
 * or linger, signals it (its services exit with it). Leaves no state file.
 */
export async function stopLab(options: LabClientOptions & { readonly timeoutMs?: number } = {}): Promise<{ readonly wasRunning: boolean }> {
  const stateDir = resolveStateDir(options);
  const state = readLabState(stateDir);
  if (!state) return { wasRunning: false };
  if (!isProcessAlive(state.pid) || !isLabSupervisor(state.pid)) {
    removeLabState(stateDir, state.pid);
    return { wasRunning: false };
  }
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  await new LabClient(state, stateDir).shutdown().catch(() => process.kill(state.pid, 'SIGTERM'));
  while (isProcessAlive(state.pid) && Date.now() < deadline) await delay(25);
  if (isProcessAlive(state.pid)) {
    process.kill(state.pid, 'SIGKILL');
    while (isProcessAlive(state.pid) && Date.now() < deadline + 2000) await delay(25);
  }
  removeLabState(stateDir, state.pid);
  return { wasRunning: true };
}

function takeLock(path: string): boolean {
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch {
    try {
      const holder = Number(readFileSync(path, 'utf8'));
      const age = Date.now() - statSync(path).mtimeMs;
      if (!isProcessAlive(holder) || age > 60_000) {
        rmSync(path, { force: true });
        writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
        return true;
      }
    } catch {
      return false;
    }
    return false;
  }
}

function isLabSupervisor(pid: number): boolean {
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /lab-supervisor|chaosdeck-lab/.test(commandLine);
  } catch {
    // No /proc (macOS): trust the state file's pid.
    return true;
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '(no log)';
  }
}


export type { LabEvent, LabStatus, LoadStatus, ProxyStatus, ServiceStatus, ToxicStatus };
export { LabApiError, LabClient, LabUnavailableError, type SubscribeOptions, type ToxicInput } from './api-client';
export type { LoadRequestInput, LoadSample, BreakerStatus } from './protocol';
export { SERVICE_NAMES, SERVICE_GROUPS, LINKS, resolveServices } from './topology';
