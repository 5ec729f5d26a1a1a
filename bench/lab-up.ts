import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLab, stopLab } from '../src/lab/client';
import type { Benchmark } from './harness';

// `lab up` to every service healthy: the supervisor spawned detached, eight
// services started in dependency order and health-checked. Median of three
// cold starts, each in a fresh state directory.

const SUPERVISOR = resolve(import.meta.dirname, '../dist/lab-supervisor.js');

async function coldStartMs(): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'chaosdeck-bench-lab-'));
  const env = { ...process.env, XDG_STATE_HOME: home };
  try {
    const started = performance.now();
    await startLab({ env, supervisorScript: SUPERVISOR, timeoutMs: 30_000 });
    return performance.now() - started;
  } finally {
    await stopLab({ env });
    rmSync(home, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'lab up: every service healthy',
    unit: 'ms',
    budget: 1500,
    async run() {
      const runs: number[] = [];
      for (let i = 0; i < 3; i += 1) runs.push(await coldStartMs());
      runs.sort((a, b) => a - b);
      return { value: Math.round(runs[1] as number), note: `runs ${runs.map((r) => Math.round(r)).join(', ')} ms` };
    },
  },
];
