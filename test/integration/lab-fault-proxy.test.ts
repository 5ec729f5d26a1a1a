import http from 'node:http';
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handleToxiproxyApi } from '../../src/lab/fault-proxy/api';
import { ProxyCollection } from '../../src/lab/fault-proxy/collection';

// The fault proxy against real sockets, spoken to through its HTTP API exactly
// as a Toxiproxy client would: proxies CRUD and enabled, each toxic type,
// upstream/downstream, toxicity, reset, and Toxiproxy's error codes.

let upstream: net.Server;
let upstreamPort: number;
let api: http.Server;
let apiUrl: string;
let collection: ProxyCollection;

// The upstream answers each chunk with "echo:" + chunk, and a "big" request with 64 KiB.
beforeAll(async () => {
  upstream = net.createServer((socket) => {
    socket.on('data', (chunk) => {
      if (chunk.toString() === 'big') socket.write(Buffer.alloc(64 * 1024, 'x'));
      else socket.write(`echo:${chunk.toString()}`);
    });
    socket.on('error', () => {});
  });
  upstreamPort = await new Promise<number>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve((upstream.address() as net.AddressInfo).port)));
  collection = new ProxyCollection();
  api = http.createServer((request, response) => {
    void handleToxiproxyApi(collection, request, response).then((isHandled) => {
      if (!isHandled) response.writeHead(404).end();
    });
  });
  apiUrl = await new Promise<string>((resolve) => api.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(api.address() as net.AddressInfo).port}`)));
});

afterAll(async () => {
  await collection.close();
  api.close();
  upstream.close();
});

afterEach(async () => {
  await call('POST', '/reset');
  for (const name of Object.keys((await call('GET', '/proxies')).body as object)) await call('DELETE', `/proxies/${name}`);
});

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${apiUrl}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function createProxy(name = 'shop'): Promise<number> {
  const created = await call('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` });
  expect(created.status).toBe(201);
  return Number((created.body as { listen: string }).listen.split(':')[1]);
}

/** Connects, sends `message`, and collects what comes back until `until` says enough, the socket ends, or `timeoutMs`. */
function exchange(port: number, message: string, { until = (b: Buffer) => b.length > 0, timeoutMs = 3000 } = {}): Promise<{ data: Buffer; ms: number; outcome: 'data' | 'end' | 'reset' | 'refused' | 'timeout' }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port });
    let isDone = false;
    const done = (outcome: 'data' | 'end' | 'reset' | 'refused' | 'timeout') => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), ms: performance.now() - started, outcome });
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.on('connect', () => socket.write(message));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (until(Buffer.concat(chunks))) done('data');
    });
    socket.on('end', () => done('end'));
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'refused' : error.code === 'ECONNRESET' ? 'reset' : 'end'));
  });
}

describe('fault proxy: Toxiproxy-compatible API', () => {
  it('creates, lists, shows, updates and deletes proxies with Toxiproxy status codes', async () => {
    expect((await call('GET', '/version')).status).toBe(200);
    const port = await createProxy();
    expect((await call('POST', '/proxies', { name: 'shop', upstream: `127.0.0.1:${upstreamPort}` })).status).toBe(409);
    expect((await call('POST', '/proxies', { name: 'nameless' })).status).toBe(400);
    // A body that is not JSON is the client's error, as in Toxiproxy: 400 with a reason, not 500.
    const garbled = await fetch(`${apiUrl}/proxies`, { method: 'POST', body: '{"name": "shop",' });
    expect(garbled.status).toBe(400);
    expect(await garbled.json()).toEqual({ error: 'request body is not valid JSON', status: 400 });
    const list = (await call('GET', '/proxies')).body as Record<string, { enabled: boolean; toxics: unknown[] }>;
    expect(list.shop).toMatchObject({ name: 'shop', enabled: true, toxics: [], upstream: `127.0.0.1:${upstreamPort}` });
    expect((await call('GET', '/proxies/nope')).status).toBe(404);
    expect((await exchange(port, 'hi')).data.toString()).toBe('echo:hi');

    const disabled = await call('POST', '/proxies/shop', { enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false });
    expect((await exchange(port, 'hi')).outcome).toBe('refused');
    await call('POST', '/proxies/shop', { enabled: true });
    expect((await exchange(port, 'hi')).data.toString()).toBe('echo:hi');

    expect((await call('DELETE', '/proxies/shop')).status).toBe(204);
    expect((await call('GET', '/proxies/shop')).status).toBe(404);
    expect((await exchange(port, 'hi')).outcome).toBe('refused');
  });

  it('populates proxies in one call and reset enables them and clears toxics', async () => {
    const populated = await call('POST', '/populate', [
      { name: 'a', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}` },
      { name: 'b', listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstreamPort}`, enabled: false },
    ]);
    expect(populated.status).toBe(201);
    expect((populated.body as { proxies: { name: string; enabled: boolean }[] }).proxies.map((p) => [p.name, p.enabled])).toEqual([['a', true], ['b', false]]);
    await call('POST', '/proxies/a/toxics', { type: 'latency', attributes: { latency: 100 } });
    expect((await call('POST', '/reset')).status).toBe(204);
    const after = (await call('GET', '/proxies')).body as Record<string, { enabled: boolean; toxics: unknown[] }>;
    expect(after.a).toMatchObject({ enabled: true, toxics: [] });
    expect(after.b).toMatchObject({ enabled: true, toxics: [] });
  });

  it('adds, shows, updates and removes toxics with Toxiproxy defaults', async () => {
    await createProxy();
    const added = await call('POST', '/proxies/shop/toxics', { type: 'latency', attributes: { latency: 50 } });
    expect(added).toEqual({ status: 200, body: { name: 'latency_downstream', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 50, jitter: 0 } } });
    expect((await call('POST', '/proxies/shop/toxics', { type: 'latency', attributes: { latency: 50 } })).status).toBe(409);
    expect((await call('POST', '/proxies/shop/toxics', { type: 'nonsense' })).status).toBe(400);
    expect((await call('POST', '/proxies/shop/toxics', { name: 'bad', type: 'latency', attributes: { latency: -1 } })).status).toBe(400);
    const updated = await call('POST', '/proxies/shop/toxics/latency_downstream', { attributes: { latency: 70 } });
    expect(updated.body).toMatchObject({ attributes: { latency: 70, jitter: 0 } });
    expect((await call('GET', '/proxies/shop/toxics')).body).toHaveLength(1);
    expect((await call('GET', '/proxies/shop/toxics/latency_downstream')).body).toMatchObject({ type: 'latency' });
    expect((await call('DELETE', '/proxies/shop/toxics/latency_downstream')).status).toBe(204);
    expect((await call('DELETE', '/proxies/shop/toxics/latency_downstream')).status).toBe(404);
  });
});

describe('fault proxy: toxics on real connections', () => {
  it('latency delays each direction by its amount, with jitter around it', async () => {
    const port = await createProxy();
    const clean = await exchange(port, 'a');
    await call('POST', '/proxies/shop/toxics', { type: 'latency', stream: 'downstream', attributes: { latency: 150, jitter: 20 } });
    const slow = await exchange(port, 'a');
    expect(slow.data.toString()).toBe('echo:a');
    expect(slow.ms).toBeGreaterThanOrEqual(125);
    expect(slow.ms - clean.ms).toBeLessThan(1500);
    await call('POST', '/proxies/shop/toxics', { type: 'latency', stream: 'upstream', name: 'up', attributes: { latency: 150 } });
    // 150 ms up, plus 150 ± 20 ms down.
    expect((await exchange(port, 'a')).ms).toBeGreaterThanOrEqual(270);
  });

  it('timeout stops data (and closes after its timeout); removing it lets data flow again', async () => {
    const port = await createProxy();
    await call('POST', '/proxies/shop/toxics', { type: 'timeout', attributes: { timeout: 0 } });
    expect((await exchange(port, 'a', { timeoutMs: 400 })).outcome).toBe('timeout');
    await call('POST', '/proxies/shop/toxics/timeout_downstream', { attributes: { timeout: 200 } });
    const closed = await exchange(port, 'a', { timeoutMs: 3000 });
    expect(closed.outcome).not.toBe('data');
    expect(closed.outcome).not.toBe('timeout');
    expect(closed.ms).toBeGreaterThanOrEqual(180);
    await call('DELETE', '/proxies/shop/toxics/timeout_downstream');
    expect((await exchange(port, 'a')).data.toString()).toBe('echo:a');
  });

  it('reset_peer resets the connection (ECONNRESET) after its timeout', async () => {
    const port = await createProxy();
    await call('POST', '/proxies/shop/toxics', { type: 'reset_peer', attributes: { timeout: 100 } });
    const reset = await exchange(port, 'a', { until: () => false });
    expect(reset.outcome).toBe('reset');
    expect(reset.ms).toBeGreaterThanOrEqual(90);
  });

  it('bandwidth limits throughput; limit_data closes after its bytes; slicer splits without losing bytes', async () => {
    const port = await createProxy();
    const whole = (b: Buffer) => b.length >= 64 * 1024;
    await call('POST', '/proxies/shop/toxics', { type: 'bandwidth', attributes: { rate: 128 } });
    const throttled = await exchange(port, 'big', { until: whole });
    expect(throttled.data.length).toBe(64 * 1024);
    expect(throttled.ms).toBeGreaterThanOrEqual(400);
    await call('DELETE', '/proxies/shop/toxics/bandwidth_downstream');

    await call('POST', '/proxies/shop/toxics', { type: 'limit_data', attributes: { bytes: 1000 } });
    const limited = await exchange(port, 'big', { until: whole });
    expect(limited.outcome).not.toBe('data');
    expect(limited.data.length).toBe(1000);
    await call('DELETE', '/proxies/shop/toxics/limit_data_downstream');

    await call('POST', '/proxies/shop/toxics', { type: 'slicer', attributes: { average_size: 1000, size_variation: 200, delay: 1000 } });
    const sliced = await exchange(port, 'big', { until: whole });
    expect(sliced.data.length).toBe(64 * 1024);
  });

  it('slow_close holds the close back by its delay', async () => {
    const port = await createProxy();
    await call('POST', '/proxies/shop/toxics', { type: 'slow_close', stream: 'upstream', attributes: { delay: 300 } });
    const closedAt = await new Promise<number>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        const started = performance.now();
        socket.end();
        // The upstream sees our FIN only after the delay, and closes its side in turn.
        socket.on('close', () => resolve(performance.now() - started));
        socket.resume();
      });
    });
    expect(closedAt).toBeGreaterThanOrEqual(250);
  });

  it('toxicity 0 never applies; upstream toxics leave the downstream alone', async () => {
    const port = await createProxy();
    await call('POST', '/proxies/shop/toxics', { type: 'timeout', toxicity: 0, attributes: { timeout: 0 } });
    expect((await exchange(port, 'a')).data.toString()).toBe('echo:a');
    await call('POST', '/proxies/shop/toxics', { type: 'limit_data', stream: 'upstream', attributes: { bytes: 100_000 } });
    expect((await exchange(port, 'big', { until: (b) => b.length >= 64 * 1024 })).data.length).toBe(64 * 1024);
  });
});
