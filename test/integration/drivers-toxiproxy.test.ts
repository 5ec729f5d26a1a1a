import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toxiproxyDriver } from '../../src/drivers/toxiproxy';
import { ProxyCollection } from '../../src/lab/fault-proxy/collection';
import { handleToxiproxyApi } from '../../src/lab/fault-proxy/api';
import { ActionSchema, type Action } from '../../src/scenario/schema';
import { createTestContext, createTestSourceContext, waitFor, type TestContextOptions } from '../fixtures/drivers/context';

// The toxiproxy driver against the lab's fault proxy (src/lab/fault-proxy),
// which serves Toxiproxy's HTTP API: its API on one loopback port, one proxy
// in front of a small HTTP upstream, and real requests through the proxy.

const action = (input: Record<string, unknown>): Action => ActionSchema.parse({ target: 'cache', ...input });

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function get(port: number, timeoutMs = 3_000): Promise<{ status: number; ms: number } | { error: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ error: error.message, ms: performance.now() - started }));
    req.end();
  });
}

describe('toxiproxy driver against the lab fault proxy', () => {
  let upstream: Server;
  let api: Server;
  let collection: ProxyCollection;
  let apiUrl: string;
  let proxyPort: number;
  const options = (): TestContextOptions => ({
    targetName: 'cache',
    binding: { driver: 'toxiproxy', proxy: 'cache' },
    config: { url: apiUrl },
    environment: { targets: { cache: { driver: 'toxiproxy', proxy: 'cache' } } },
  });

  beforeAll(async () => {
    upstream = createServer((_req, res) => res.end('ok'));
    const upstreamPort = await listen(upstream);
    collection = new ProxyCollection();
    api = createServer((req, res) => {
      void handleToxiproxyApi(collection, req, res).then((isHandled) => {
        if (!isHandled) res.writeHead(404).end();
      });
    });
    apiUrl = `http://127.0.0.1:${await listen(api)}`;
    const proxy = await collection.create({ name: 'cache', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` });
    proxyPort = Number(proxy.view().listen.split(':').pop());
  });
  afterAll(async () => {
    await collection?.reset();
    for (const proxy of collection?.list() ?? []) await collection.remove(proxy.name);
    await new Promise((resolve) => api?.close(resolve));
    await new Promise((resolve) => upstream?.close(resolve));
  });

  it('adds a latency toxic that slows real requests, and removes it on undo (twice is fine)', async () => {
    const context = createTestContext(options());
    const latency = action({ verb: 'latency', ms: 400 });
    const undo = await toxiproxyDriver.prepareUndo(latency, context);
    expect(undo).toMatchObject({ verb: 'remove-toxic', params: { proxy: 'cache', name: 'chaosdeck-latency-cache' } });
    expect((await toxiproxyDriver.apply(latency, context)).isOk).toBe(true);
    expect(context.shown[0]?.display).toBe(`POST ${apiUrl}/proxies/cache/toxics {"name":"chaosdeck-latency-cache","stream":"downstream","type":"latency","toxicity":1,"attributes":{"latency":400,"jitter":0}}`);
    const slow = await get(proxyPort);
    expect(slow).toMatchObject({ status: 200 });
    expect(slow.ms).toBeGreaterThanOrEqual(390);
    expect((await toxiproxyDriver.undo(undo!, context)).isOk).toBe(true);
    expect(collection.get('cache').toxics).toEqual([]);
    expect((await toxiproxyDriver.undo(undo!, context)).isOk).toBe(true);
  });

  it('updates a toxic that already exists instead of failing', async () => {
    const context = createTestContext(options());
    await toxiproxyDriver.apply(action({ verb: 'latency', ms: 100 }), context);
    expect((await toxiproxyDriver.apply(action({ verb: 'latency', ms: 200 }), context)).isOk).toBe(true);
    expect(collection.get('cache').toxics).toEqual([expect.objectContaining({ name: 'chaosdeck-latency-cache', attributes: expect.objectContaining({ latency: 200 }) })]);
    await toxiproxyDriver.undo({ verb: 'remove-toxic', params: { proxy: 'cache', name: 'chaosdeck-latency-cache' }, summary: '' }, context);
  });

  it('partitions by disabling the proxy so connections fail, and enables it on undo', async () => {
    const context = createTestContext(options());
    const undo = await toxiproxyDriver.prepareUndo(action({ verb: 'partition' }), context);
    expect(undo).toMatchObject({ verb: 'enable' });
    expect((await toxiproxyDriver.apply(action({ verb: 'partition' }), context)).isOk).toBe(true);
    expect(await get(proxyPort, 1_000)).toHaveProperty('error');
    expect((await toxiproxyDriver.undo(undo!, context)).isOk).toBe(true);
    expect(await get(proxyPort)).toMatchObject({ status: 200 });
  });

  it('reports an API error with the status and the message', async () => {
    const context = createTestContext({ ...options(), binding: { driver: 'toxiproxy', proxy: 'nope' } });
    const outcome = await toxiproxyDriver.apply(action({ verb: 'latency', ms: 10 }), context);
    expect(outcome).toMatchObject({ isOk: false, error: 'HTTP 404: proxy not found' });
  });

  it('shows the call but does not make it in dry-run', async () => {
    const context = createTestContext({ ...options(), mode: 'dry-run' });
    await toxiproxyDriver.apply(action({ verb: 'errors', rate: 0.5 }), context);
    expect(context.shown[0]?.display).toContain('"type":"reset_peer","toxicity":0.5');
    expect(collection.get('cache').toxics).toEqual([]);
  });

  it('feeds proxy status and passes doctor', async () => {
    const context = createTestSourceContext(options());
    const source = toxiproxyDriver.openSource!({ kind: 'status', from: 'toxiproxy' }, context)!;
    const status = await waitFor(() => context.events.find((e) => e.type === 'status'), 5_000, 'status');
    expect(status).toMatchObject({ targets: [{ name: 'cache', state: 'enabled', isReady: true }] });
    await source.stop();
    expect(await toxiproxyDriver.doctor!({ url: apiUrl }, context.runner)).toEqual([expect.objectContaining({ isOk: true, detail: expect.stringContaining('version 2.') })]);
    const down = await toxiproxyDriver.doctor!({ url: 'http://127.0.0.1:9' }, context.runner);
    expect(down[0]).toMatchObject({ isOk: false });
  });
});
