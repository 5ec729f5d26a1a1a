import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext, Source } from '../../src/drivers/driver';
import { labDriver } from '../../src/drivers/lab';
import type { UnstampedEvent } from '../../src/engine/events';
import type { RunMode } from '../../src/engine/events';
import { EnvironmentSchema } from '../../src/scenario/environment';
import { ActionSchema, type Action } from '../../src/scenario/schema';
import { get, startTestLab, waitFor, type TestLab } from './lab-helpers';

// The lab driver on a real lab: each verb does what it says, echoes the HTTP
// call it makes, and its undo (JSON-safe, idempotent) puts things back;
// dry-run echoes and changes nothing; the sources turn the lab's event stream
// into deck events.

const environment = EnvironmentSchema.parse({
  name: 'lab',
  isReal: false,
  targets: { api: { driver: 'lab', service: 'api' }, 'api-2': { driver: 'lab', service: 'api-2' }, backend: { driver: 'lab', service: 'backend' }, edge: { driver: 'lab', service: 'edge' } },
});

describe('lab driver', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab();
  });
  afterAll(async () => {
    await lab?.client.stopLoad().catch(() => {});
    await lab?.stop();
  });

  const contextFor = (target: string, mode: RunMode = 'live') => {
    const echoed: string[] = [];
    const context: ActionContext = {
      targetName: target,
      binding: environment.targets[target] ?? null,
      config: {},
      environment,
      mode,
      signal: new AbortController().signal,
      run: () => Promise.reject(new Error('the lab driver runs no process')),
      echo: (display) => {
        echoed.push(display);
        return { line: () => {}, finish: () => {} };
      },
      emit: () => {},
      confirm: async () => true,
      stateDir: dirname(lab.stateDir),
    };
    return { context, echoed };
  };
  const run = async (target: string, input: Record<string, unknown>, mode: RunMode = 'live') => {
    const action: Action = ActionSchema.parse({ target, ...input });
    const { context, echoed } = contextFor(target, mode);
    const undo = await labDriver.prepareUndo(action, context);
    const outcome = await labDriver.apply(action, context);
    // The undo goes to the journal as JSON and may be run by another process.
    return { outcome, echoed, undo: undo ? JSON.parse(JSON.stringify(undo)) as typeof undo : null, undoIt: async () => {
      if (!undo) return null;
      const first = await labDriver.undo(undo, contextFor(target).context);
      const second = await labDriver.undo(undo, contextFor(target).context);
      return [first, second];
    } };
  };

  it('dry-run echoes the call and changes nothing', async () => {
    const { outcome, echoed } = await run('api-2', { verb: 'stop' }, 'dry-run');
    expect(outcome.isOk).toBe(true);
    expect(echoed).toEqual(['POST /services/api-2/stop']);
    expect((await lab.client.service('api-2')).state).toBe('running');
  });

  it('stop and kill, undone by start', async () => {
    const stopped = await run('api-2', { verb: 'stop' });
    expect(stopped.outcome.isOk).toBe(true);
    expect((await lab.client.service('api-2')).state).toBe('stopped');
    expect(stopped.undo).toMatchObject({ verb: 'start', params: { service: 'api-2' } });
    expect((await stopped.undoIt())?.every((o) => o.isOk)).toBe(true);
    expect((await lab.client.service('api-2')).health).toBe('healthy');

    const killed = await run('backend', { verb: 'kill', signal: 'SIGKILL' });
    expect(killed.echoed).toEqual(['POST /services/backend/kill {"signal":"SIGKILL"}']);
    expect((await killed.undoIt())?.every((o) => o.isOk)).toBe(true);
    expect((await lab.client.service('backend')).health).toBe('healthy');
  });

  it('restart with env (CHAOS_LATENCY_MS), undone by a restart with the previous env', async () => {
    const restarted = await run('api', { verb: 'restart', env: { CHAOS_ENABLED: 'true', CHAOS_LATENCY_MS: '300' } });
    expect(restarted.outcome.isOk).toBe(true);
    expect((await get(`${lab.client.serviceUrl('edge')}/api/products`)).ms).toBeGreaterThanOrEqual(300);
    await restarted.undoIt();
    expect((await lab.client.service('api-1')).extraEnv).toEqual({});
    expect(await lab.client.chaos('api-2')).toMatchObject({ enabled: false, latencyMs: 0 });
  });

  it('errors, cpu and memory knobs, each undone', async () => {
    const errors = await run('api-2', { verb: 'errors', rate: 1 });
    expect((await get(`${lab.client.serviceUrl('api-2')}/api/products`)).status).toBe(500);
    await errors.undoIt();
    expect((await get(`${lab.client.serviceUrl('api-2')}/api/products`)).status).toBe(200);

    const cpu = await run('backend', { verb: 'cpu', percent: 50 });
    expect(await lab.client.cpu('backend')).toEqual({ percent: 50 });
    await cpu.undoIt();
    expect(await lab.client.cpu('backend')).toEqual({ percent: 0 });

    const memory = await run('backend', { verb: 'memory', mb: 40 });
    await waitFor(async () => (await lab.client.memory('backend')).heldMb >= 40, { message: 'memory held' });
    await memory.undoIt();
    expect((await lab.client.memory('backend')).heldMb).toBe(0);
  });

  it('latency, loss and partition put toxics on the fault-proxy links; undo and heal remove them', async () => {
    const latency = await run('api', { verb: 'latency', ms: 200, to: 'backend' });
    expect(latency.echoed[0]).toMatch(/^POST \/proxies\/backend\/toxics \{"name":"chaosdeck-latency-backend-downstream","type":"latency"/);
    expect((await lab.client.toxics('backend')).map((t) => t.name)).toEqual(['chaosdeck-latency-backend-downstream']);
    await latency.undoIt();
    expect(await lab.client.toxics('backend')).toEqual([]);

    const loss = await run('api-2', { verb: 'loss', percent: 30 });
    expect((await lab.client.toxics('api-2'))[0]).toMatchObject({ type: 'timeout', toxicity: 0.3 });
    await loss.undoIt();

    const partition = await run('api', { verb: 'partition', to: 'backend' });
    expect((await lab.client.toxics('backend')).map((t) => t.stream).sort()).toEqual(['downstream', 'upstream']);
    const answer = await get(`${lab.client.serviceUrl('edge')}/api/products`);
    expect(answer.body).toMatchObject({ pricing: 'fallback' });
    const heal = await run('api', { verb: 'heal', to: 'backend' });
    expect(heal.outcome.isOk).toBe(true);
    expect(await lab.client.toxics('backend')).toEqual([]);
    expect((await partition.undoIt())?.every((o) => o.isOk)).toBe(true);
  });

  it('load starts the generator (undo stops it) and http probes a relative path', async () => {
    const load = await run('edge', { verb: 'load', rate: 20, path: '/api/products' });
    expect(load.outcome.isOk).toBe(true);
    expect((await lab.client.loadStatus())?.isRunning).toBe(true);
    await load.undoIt();
    expect((await lab.client.loadStatus())?.isRunning).toBe(false);
    const probe = await run('edge', { verb: 'http', url: '/api/products' });
    expect(probe.outcome).toMatchObject({ isOk: true, output: { status: 200 } });
    expect(probe.undo).toBeNull();
  });

  it('sources: status, logs, latency, breakers and metrics from the lab', async () => {
    const events: UnstampedEvent[] = [];
    const controller = new AbortController();
    const open = (spec: Record<string, unknown>): Source => {
      const source = labDriver.openSource?.({ from: 'lab', ...spec } as never, {
        environment, config: { stateDir: lab.stateDir }, binding: null, signal: controller.signal,
        runner: { run: () => Promise.reject(new Error('no process')) },
        emit: (event) => events.push(event),
      });
      if (!source) throw new Error('no source');
      return source;
    };
    const sources = [
      open({ kind: 'status' }),
      open({ kind: 'logs', target: 'api-2' }),
      open({ kind: 'latency' }),
      open({ kind: 'breakers', target: 'api' }),
      open({ kind: 'metrics', service: 'api-1', metrics: ['shop_db_pool_connections'], interval: 0.2 }),
    ];
    await waitFor(() => events.some((e) => e.type === 'status' && e.targets.length === 8), { message: 'a status of every service' });
    await waitFor(() => events.some((e) => e.type === 'breaker' && e.name === 'backendCB' && e.state === 'CLOSED'), { message: 'backendCB closed' });
    await waitFor(() => events.some((e) => e.type === 'metric' && e.name === 'shop_db_pool_connections' && e.labels?.state === 'max' && e.value === 5), { message: 'a pool metric' });
    await lab.client.restart('api-2');
    await waitFor(() => events.some((e) => e.type === 'log.lines' && e.source === 'lab:logs:api-2' && e.lines.some((l) => l.text.includes('api-2 listening'))), { message: 'api-2 log lines' });
    await lab.client.startLoad({ rate: 10 });
    await waitFor(() => events.some((e) => e.type === 'latency' && e.rps > 0), { message: 'a latency sample' });
    await lab.client.stopLoad();
    controller.abort();
    await Promise.all(sources.map((s) => s.stop()));
  });
});
