import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execaSync } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerDriver } from '../../src/drivers/docker';
import { ActionSchema, type Action } from '../../src/scenario/schema';
import { createTestContext, createTestSourceContext, waitFor, type TestContextOptions } from '../fixtures/drivers/context';
import { HOST_MEMORY, startFakeDockerEngine, type FakeDockerEngine } from '../fixtures/drivers/docker-engine';

// The real docker CLI against a Docker Engine API endpoint served on a unix
// socket by the test (DOCKER_HOST=unix://…); no docker daemon is needed.

const hasDocker = (() => {
  try {
    execaSync('docker', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
if (!hasDocker) console.warn('skipping docker driver tests: the `docker` binary is not installed');

const action = (input: Record<string, unknown>): Action => ActionSchema.parse({ target: 'cache', ...input });

describe.skipIf(!hasDocker)('docker driver against a Docker Engine API on a unix socket', () => {
  let engine: FakeDockerEngine;
  let env: Record<string, string>;
  const options = (extra: Partial<TestContextOptions> = {}): TestContextOptions => ({
    targetName: 'cache',
    binding: { driver: 'docker', container: 'redis' },
    env,
    environment: { targets: { cache: { driver: 'docker', container: 'redis' }, api: { driver: 'docker', container: 'api' } } },
    ...extra,
  });

  beforeAll(async () => {
    engine = await startFakeDockerEngine([{ name: 'redis', logs: ['Ready to accept connections'] }, { name: 'api' }]);
    env = { DOCKER_HOST: `unix://${engine.socketPath}`, DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'docker-config-')) };
  });
  afterAll(async () => engine?.close());
  beforeEach(() => {
    const redis = engine.containers.get('redis')!;
    Object.assign(redis, { status: 'running', networks: ['bridge', 'shop'], qdisc: null, execs: [] });
    redis.hostConfig = { NanoCpus: 0, CpuQuota: 0, CpuPeriod: 0, Memory: 0, MemorySwap: 0 };
  });

  it('stops a running container, echoes the exact command, and undoes with start', async () => {
    const context = createTestContext(options());
    const stop = action({ verb: 'stop' });
    const undo = await dockerDriver.prepareUndo(stop, context);
    expect(undo).toMatchObject({ verb: 'start', params: { container: 'redis' } });
    const outcome = await dockerDriver.apply(stop, context);
    expect(outcome.isOk).toBe(true);
    expect(engine.containers.get('redis')!.status).toBe('exited');
    expect(context.shown.map((s) => s.display)).toEqual(['docker inspect redis', 'docker stop redis']);
    expect((await dockerDriver.undo(undo!, context)).isOk).toBe(true);
    expect(engine.containers.get('redis')!.status).toBe('running');
  });

  it('needs no undo to stop a container that is already stopped', async () => {
    engine.containers.get('redis')!.status = 'exited';
    expect(await dockerDriver.prepareUndo(action({ verb: 'stop' }), createTestContext(options()))).toBeNull();
  });

  it('lowers the memory limit and lifts it again to the host memory when inspect found none', async () => {
    const context = createTestContext(options());
    const memory = action({ verb: 'memory', mb: 256 });
    const undo = await dockerDriver.prepareUndo(memory, context);
    expect(undo?.params).toMatchObject({ args: ['--memory', String(HOST_MEMORY), '--memory-swap', '-1'] });
    expect((await dockerDriver.apply(memory, context)).isOk).toBe(true);
    expect(engine.containers.get('redis')!.hostConfig).toMatchObject({ Memory: 256 * 1024 * 1024, MemorySwap: 256 * 1024 * 1024 });
    expect((await dockerDriver.undo(undo!, context)).isOk).toBe(true);
    expect(engine.containers.get('redis')!.hostConfig).toMatchObject({ Memory: HOST_MEMORY, MemorySwap: -1 });
  });

  it('restores a previous memory limit exactly', async () => {
    Object.assign(engine.containers.get('redis')!.hostConfig, { Memory: 1024 * 1024 * 1024, MemorySwap: 2 * 1024 * 1024 * 1024 });
    const context = createTestContext(options());
    const undo = await dockerDriver.prepareUndo(action({ verb: 'memory', mb: 128 }), context);
    expect(undo?.params).toMatchObject({ args: ['--memory', String(1024 * 1024 * 1024), '--memory-swap', String(2 * 1024 * 1024 * 1024)] });
    expect(context.shown.map((s) => s.display)).toEqual(['docker inspect redis']);
  });

  it('limits CPU with a CFS quota and restores the previous quota', async () => {
    engine.containers.get('redis')!.hostConfig.CpuQuota = 200_000;
    engine.containers.get('redis')!.hostConfig.CpuPeriod = 100_000;
    const context = createTestContext(options());
    const cpu = action({ verb: 'cpu', cores: 0.5 });
    const undo = await dockerDriver.prepareUndo(cpu, context);
    expect((await dockerDriver.apply(cpu, context)).isOk).toBe(true);
    expect(context.shown.at(-1)?.display).toBe('docker update --cpu-period 100000 --cpu-quota 50000 redis');
    expect(engine.containers.get('redis')!.hostConfig.CpuQuota).toBe(50_000);
    await dockerDriver.undo(undo!, context);
    expect(engine.containers.get('redis')!.hostConfig.CpuQuota).toBe(200_000);
  });

  it('adds netem latency with docker exec tc and its undo is idempotent', async () => {
    const context = createTestContext(options());
    const latency = action({ verb: 'latency', ms: 100, jitter: 10 });
    const undo = await dockerDriver.prepareUndo(latency, context);
    expect((await dockerDriver.apply(latency, context)).isOk).toBe(true);
    expect(context.shown.at(-1)?.display).toBe('docker exec redis tc qdisc replace dev eth0 root netem delay 100ms 10ms');
    expect(engine.containers.get('redis')!.qdisc).toBe('netem delay 100ms 10ms');
    expect((await dockerDriver.undo(undo!, context)).isOk).toBe(true);
    expect(engine.containers.get('redis')!.qdisc).toBeNull();
    const again = await dockerDriver.undo(undo!, context);
    expect(again.isOk).toBe(true);
    expect(context.shown.at(-1)?.outcome?.exitCode).toBe(2);
  });

  it('partitions by disconnecting every network inspect lists, and reconnects them on undo', async () => {
    const context = createTestContext(options());
    const partition = action({ verb: 'partition' });
    const undo = await dockerDriver.prepareUndo(partition, context);
    expect(undo?.params).toMatchObject({ networks: ['bridge', 'shop'] });
    expect((await dockerDriver.apply(partition, context)).isOk).toBe(true);
    expect(engine.containers.get('redis')!.networks).toEqual([]);
    expect((await dockerDriver.undo(undo!, context)).isOk).toBe(true);
    expect(engine.containers.get('redis')!.networks.sort()).toEqual(['bridge', 'shop']);
    expect((await dockerDriver.undo(undo!, context)).isOk).toBe(true);
  });

  it('reports a missing container as a failed action with the daemon\'s message', async () => {
    const context = createTestContext(options({ binding: { driver: 'docker', container: 'nope' } }));
    const outcome = await dockerDriver.apply(action({ verb: 'kill' }), context);
    expect(outcome.isOk).toBe(false);
    expect(outcome.error).toMatch(/No such container: nope/);
  });

  it('shows but does not run commands in dry-run', async () => {
    const context = createTestContext(options({ mode: 'dry-run' }));
    await dockerDriver.apply(action({ verb: 'stop' }), context);
    expect(context.shown).toEqual([expect.objectContaining({ display: 'docker stop redis', isDryRun: true })]);
    expect(engine.containers.get('redis')!.status).toBe('running');
  });

  it('streams docker logs -f as batched log lines and reads resilience4j breaker lines', async () => {
    const context = createTestSourceContext(options());
    const source = dockerDriver.openSource!({ kind: 'logs', from: 'docker', target: 'cache' }, context)!;
    await waitFor(() => context.events.some((e) => e.type === 'log.lines' && e.lines.some((l) => l.text === 'Ready to accept connections')), 10_000, 'first log line');
    engine.log('redis', "CircuitBreaker 'backendCB' changed state from CLOSED to OPEN");
    const breaker = await waitFor(() => context.events.find((e) => e.type === 'breaker'), 10_000, 'breaker event');
    expect(breaker).toMatchObject({ name: 'backendCB', state: 'OPEN', source: 'docker:logs:cache' });
    await source.stop();
  });

  it('refreshes status from docker inspect when docker events reports a change', async () => {
    const context = createTestSourceContext(options());
    const source = dockerDriver.openSource!({ kind: 'status', from: 'docker' }, context)!;
    await waitFor(() => context.events.find((e) => e.type === 'status'), 10_000, 'first status');
    await waitFor(() => engine.requests.some((r) => r.startsWith('GET /events')), 10_000, 'events stream');
    await dockerDriver.apply(action({ verb: 'stop' }), createTestContext(options()));
    const stopped = await waitFor(
      () => context.events.find((e) => e.type === 'status' && e.targets.some((t) => t.name === 'cache' && t.state === 'exited')),
      10_000,
      'exited status',
    );
    expect(stopped).toMatchObject({ targets: expect.arrayContaining([expect.objectContaining({ name: 'api', state: 'running', isReady: true })]) });
    await source.stop();
  });

  it('doctor reports client and daemon versions, and an unreachable daemon with a fix', async () => {
    const runner = createTestSourceContext({ env }).runner;
    const checks = await dockerDriver.doctor!({}, runner);
    expect(checks.find((c) => c.name === 'docker daemon')).toMatchObject({ isOk: true, detail: 'server 27.0.0-fake' });
    const unreachable = await dockerDriver.doctor!({ host: 'unix:///nonexistent/docker.sock' }, runner);
    expect(unreachable.find((c) => c.name === 'docker daemon')).toMatchObject({ isOk: false, fix: expect.stringContaining('daemon') });
  });
});
