import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLab, isProcessAlive, startLab, stopLab, type ServiceStatus } from '../../src/lab/client';
import { get, startTestLab, SUPERVISOR_SCRIPT, waitFor, type TestLab } from './lab-helpers';

// The supervisor as a tiny orchestrator: state file and token, dependency
// order, stop/start/kill/restart with env, restart policy with OOM kills, and
// no orphans when the supervisor itself is SIGKILLed.

describe('lab supervisor', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('writes a private state file and refuses requests without the token', async () => {
    expect(statSync(lab.stateDir).mode & 0o777).toBe(0o700);
    const path = join(lab.stateDir, 'state.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const state = JSON.parse(readFileSync(path, 'utf8')) as { controlPort: number; token: string; services: Record<string, string> };
    expect(Object.keys(state.services).sort()).toEqual(['api-1', 'api-2', 'backend', 'cache', 'collector', 'db', 'edge', 'proxy']);
    const anonymous = await fetch(`http://127.0.0.1:${state.controlPort}/status`);
    expect(anonymous.status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${state.controlPort}/status`, { headers: { authorization: `Bearer ${'x'.repeat(state.token.length)}` } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`http://127.0.0.1:${state.controlPort}/status`, { headers: { authorization: `Bearer ${state.token}` } });
    expect(right.status).toBe(200);
  });

  it('started every service healthy, dependencies first, and serves the shop through edge', async () => {
    const status = await lab.client.status();
    expect(status.isReady).toBe(true);
    for (const service of status.services) {
      expect(service, service.name).toMatchObject({ state: 'running', health: 'healthy', restarts: 0 });
      expect(service.pid).toBeGreaterThan(0);
    }
    const find = (name: string) => status.services.find((s) => s.name === name) as ServiceStatus;
    for (const [service, dependency] of [['api-1', 'db'], ['api-1', 'cache'], ['api-2', 'backend'], ['api-2', 'proxy'], ['edge', 'api-1'], ['edge', 'api-2']] as const) {
      // Nothing has restarted yet, so `since` is when the dependency became healthy.
      expect(find(service).startedAt, `${service} spawned after ${dependency} was healthy`).toBeGreaterThanOrEqual(find(dependency).since);
    }
    const products = await get(`${lab.client.serviceUrl('edge')}/api/products`);
    expect(products.status).toBe(200);
    expect((products.body as { products: unknown[] }).products.length).toBeGreaterThan(0);
    expect(status.proxies.map((p) => p.name).sort()).toEqual(['api-1', 'api-2', 'backend', 'cache', 'collector', 'db']);
  });

  it('is idempotent: a second start finds the same supervisor', async () => {
    const again = await startLab({ stateDir: lab.stateDir, supervisorScript: SUPERVISOR_SCRIPT });
    expect(again.state.pid).toBe(lab.client.state.pid);
  });

  it('stops (no restart), starts, and kills (restarted by policy, counted)', async () => {
    const { client } = lab;
    const before = await client.service('backend');
    await client.stop('backend');
    const stopped = await client.service('backend');
    expect(stopped).toMatchObject({ state: 'stopped', isWanted: false, pid: null });
    expect(stopped.lastExit?.reason).toBe('Stopped');
    expect(isProcessAlive(before.pid as number)).toBe(false);
    await client.start('backend');
    const started = await client.service('backend');
    expect(started).toMatchObject({ state: 'running', health: 'healthy', restarts: 0 });

    await client.kill('backend', 'SIGKILL');
    const restarted = await waitFor(async () => {
      const s = await client.service('backend');
      return s.restarts === 1 && s.health === 'healthy' ? s : null;
    }, { message: 'backend restarted by its policy' });
    expect(restarted.lastExit).toMatchObject({ reason: 'Killed', signal: 'SIGKILL' });
    expect(restarted.pid).not.toBe(started.pid);
  });

  it('restarts with extra environment, which the service honours (CHAOS_* at start)', async () => {
    const { client } = lab;
    await client.restart('api-2', { CHAOS_ENABLED: 'true', CHAOS_ERROR_RATE: '1' });
    expect((await client.service('api-2')).extraEnv).toEqual({ CHAOS_ENABLED: 'true', CHAOS_ERROR_RATE: '1' });
    expect(await client.chaos('api-2')).toEqual({ enabled: true, latencyMs: 0, errorRate: 1 });
    const broken = await get(`${client.serviceUrl('api-2')}/api/products`);
    expect(broken.status).toBe(500);
    await client.restart('api-2', {});
    expect(await client.chaos('api-2')).toEqual({ enabled: false, latencyMs: 0, errorRate: 0 });
    expect((await get(`${client.serviceUrl('api-2')}/api/products`)).status).toBe(200);
  });

  it('kills a leaking service at its memory limit as OOMKilled, restarts it and counts it', async () => {
    const { client } = lab;
    await client.setLimits('api-1', { memoryMb: 128 });
    const before = await client.service('api-1');
    const url = `${client.serviceUrl('api-1')}/debug/leak?mb=24`;
    await waitFor(async () => {
      try {
        await get(url, 3000);
        return false;
      } catch {
        return true;
      }
    }, { timeoutMs: 30_000, intervalMs: 100, message: 'api-1 to die of its leak' });
    const after = await waitFor(async () => {
      const s = await client.service('api-1');
      return s.restarts === before.restarts + 1 && s.health === 'healthy' ? s : null;
    }, { timeoutMs: 30_000, message: 'api-1 restarted after OOM' });
    expect(after.lastExit).toMatchObject({ reason: 'OOMKilled', code: 137 });
    expect(after.oomKills).toBe(before.oomKills + 1);
    expect((await client.logs('supervisor', 50)).some((l) => /out of memory: Killed process \d+ \(api-1\)/.test(l.text))).toBe(true);
    await client.setLimits('api-1', { memoryMb: 256 });
  });

  it('applies a CPU hog that slows the service and stops it again', async () => {
    const { client } = lab;
    const url = `${client.serviceUrl('backend')}/prices`;
    const timeSequential = async () => {
      const started = performance.now();
      for (let i = 0; i < 30; i += 1) await get(url);
      return performance.now() - started;
    };
    const baseline = await timeSequential();
    await client.setCpu('backend', 90);
    expect(await client.cpu('backend')).toEqual({ percent: 90 });
    // The hog leaves the event loop 10 ms in every 100 ms: thirty requests need several of those windows.
    const hogged = await timeSequential();
    await client.setCpu('backend', 0);
    expect(hogged).toBeGreaterThan(Math.max(2 * baseline, 100));
    expect(await client.cpu('backend')).toEqual({ percent: 0 });
  });
});

describe('lab supervisor lifetime', () => {
  it('leaves no orphan when the supervisor is SIGKILLed, and down cleans up after it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'chaosdeck-lab-test-'));
    const env = { ...process.env, XDG_STATE_HOME: home };
    try {
      const client = await startLab({ env, supervisorScript: SUPERVISOR_SCRIPT, timeoutMs: 45_000 });
      const status = await client.status();
      const pids = status.services.map((s) => s.pid as number);
      expect(pids.every((pid) => isProcessAlive(pid))).toBe(true);
      const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(client.state.pid)], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      expect(children.sort()).toEqual([...pids].sort());
      process.kill(client.state.pid, 'SIGKILL');
      await waitFor(() => pids.every((pid) => !isProcessAlive(pid) || isZombie(pid)), { timeoutMs: 10_000, message: 'every service to exit after the supervisor died' });
      expect(await findLab({ env })).toBeNull();
      expect(await stopLab({ env })).toEqual({ wasRunning: false });
    } finally {
      await stopLab({ env });
      rmSync(home, { recursive: true, force: true });
    }
  });
});

function isZombie(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
