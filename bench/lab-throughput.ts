import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLab, stopLab } from '../src/lab/client';
import type { Benchmark } from './harness';

// 1,000 requests a second for 30 s through edge → api → backend (and the
// cache), every hop through the fault proxy, measured by the lab's own open-
// model load generator. Budget: p95 under 25 ms with no error at all.

const SUPERVISOR = resolve(import.meta.dirname, '../dist/lab-supervisor.js');
const RATE = 1000;
const DURATION_MS = 30_000;

export const benchmarks: Benchmark[] = [
  {
    name: 'lab: 1000 req/s for 30 s through edge → api → backend, p95',
    unit: 'ms',
    budget: 25,
    async run() {
      const home = mkdtempSync(join(tmpdir(), 'chaosdeck-bench-lab-'));
      const env = { ...process.env, XDG_STATE_HOME: home };
      try {
        const client = await startLab({ env, supervisorScript: SUPERVISOR, timeoutMs: 30_000 });
        // A short warm-up fills the keep-alive pools and the JIT before the measured run.
        await client.startLoad({ rate: 200, durationMs: 3000, path: '/api/products' });
        while ((await client.loadStatus())?.isRunning) await new Promise((r) => setTimeout(r, 250));
        await client.startLoad({ rate: RATE, durationMs: DURATION_MS, path: '/api/products' });
        let status = await client.loadStatus();
        while (status?.isRunning) {
          await new Promise((r) => setTimeout(r, 500));
          status = await client.loadStatus();
        }
        if (!status) throw new Error('no load status');
        const achieved = status.completed / (DURATION_MS / 1000);
        const note = `${status.completed} answers (${achieved.toFixed(0)}/s), ${status.errors} errors, p50 ${status.p50} ms, p99 ${status.p99} ms`;
        // An error fails the benchmark whatever the latency.
        return { value: status.errors === 0 ? status.p95 : Number.NaN, note };
      } finally {
        await stopLab({ env });
        rmSync(home, { recursive: true, force: true });
      }
    },
  },
];
