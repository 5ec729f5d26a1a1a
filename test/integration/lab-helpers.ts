import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLab, stopLab, type LabClient, type LabEvent } from '../../src/lab/client';
import { waitFor as sharedWaitFor, type WaitOptions } from '../helpers';

// Shared by the lab's integration tests: a lab of real processes in a temp
// state directory, waitFor with a deadline instead of sleeps, an event
// recorder, and a Prometheus text reader.

/** The built supervisor (npm test builds first; run `npm run build` before vitest alone). */
export const SUPERVISOR_SCRIPT = resolve(import.meta.dirname, '../../dist/lab-supervisor.js');

/** A lab for one test file. */
export interface TestLab {
  readonly client: LabClient;
  readonly stateDir: string;
  readonly events: LabEvent[];
  stop(): Promise<void>;
}

/** Starts a lab in its own XDG_STATE_HOME and records its event stream. */
export async function startTestLab(): Promise<TestLab> {
  const home = mkdtempSync(join(tmpdir(), 'chaosdeck-lab-test-'));
  const env = { ...process.env, XDG_STATE_HOME: home };
  const stateDir = join(home, 'chaosdeck', 'lab');
  const client = await startLab({ env, supervisorScript: SUPERVISOR_SCRIPT, timeoutMs: 45_000 });
  const events: LabEvent[] = [];
  const close = client.subscribe((event) => events.push(event));
  return {
    client,
    stateDir,
    events,
    async stop() {
      close();
      await stopLab({ env });
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The shared waitFor with the lab's patience: 20 s, and a service that errors while it restarts is polled again. */
export function waitFor<T>(predicate: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  return sharedWaitFor(predicate, { timeoutMs: 20_000, intervalMs: 50, isRetryingErrors: true, ...options });
}

/** The value of one sample in Prometheus text (labels must all match); summed over the rest. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  let isFound = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) {
      sum += Number(match[4]);
      isFound = true;
    }
  }
  return isFound ? sum : Number.NaN;
}

/** Latency events recorded after `since` (wall-clock ms). */
export function samplesSince(events: readonly LabEvent[], since: number): Extract<LabEvent, { type: 'latency' }>['sample'][] {
  return events.flatMap((e) => (e.type === 'latency' && e.sample.ts - 1000 >= since ? [e.sample] : []));
}

/** Log lines of a service (or any service whose name starts with `prefix`) recorded so far. */
export function logLines(events: readonly LabEvent[], prefix: string): string[] {
  return events.flatMap((e) => (e.type === 'log' && e.service.startsWith(prefix) ? [e.text] : []));
}

/** GETs a URL and returns status, body and elapsed ms. */
export async function get(url: string, timeoutMs = 10_000): Promise<{ status: number; body: unknown; ms: number; headers: Headers }> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Plain text.
  }
  return { status: response.status, body, ms: performance.now() - started, headers: response.headers };
}
