import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../src/lab/client';
import { get, logLines, metricValue, samplesSince, startTestLab, waitFor, type TestLab } from './lab-helpers';

// The api's dependencies failing on the real lab: the cache (fallback to the
// db, slower, hit ratio 0, then recovery), the db (fail fast with 503 and a
// breaker, recovery after the restart), the telemetry collector (no effect on
// users), and the db's connection limit ("too many clients").

type BreakerEvent = Extract<LabEvent, { type: 'breaker' }>;

describe('lab: dependencies failing', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab();
  });
  afterAll(async () => {
    await lab?.client.stopLoad().catch(() => {});
    await lab?.stop();
  });

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const timed = async (url: string, count: number) => {
    const answers = [];
    for (let i = 0; i < count; i += 1) answers.push(await get(url));
    return answers;
  };
  const hitRatio = async (service: string) => metricValue(await lab.client.metricsText(service), 'shop_cache_hit_ratio');

  it('cache down: answers stay 200 from the db, slower, hit ratio 0; cache back: the ratio recovers', async () => {
    const { client } = lab;
    const url = `${client.serviceUrl('api-1')}/api/products`;
    // A db query of 15 ms makes the fallback's cost unmistakable on a busy machine.
    await fetch(`${client.serviceUrl('db')}/admin/db`, { method: 'PUT', body: JSON.stringify({ queryMs: 15 }) });
    await waitFor(async () => ((await get(url)).body as { source: string }).source === 'cache', { message: 'a warm cache' });
    const warm = await timed(url, 15);
    expect(warm.every((a) => a.status === 200 && (a.body as { source: string }).source === 'cache')).toBe(true);
    expect(await hitRatio('api-1')).toBeGreaterThan(0.5);

    await client.stop('cache');
    const cold = await timed(url, 15);
    expect(cold.map((a) => a.status)).toEqual(Array(15).fill(200));
    expect(cold.every((a) => (a.body as { source: string }).source === 'db')).toBe(true);
    expect(median(cold.map((a) => a.ms))).toBeGreaterThan(median(warm.map((a) => a.ms)));
    expect(median(cold.map((a) => a.ms))).toBeGreaterThanOrEqual(15);
    const hitsDuring = metricValue(await client.metricsText('api-1'), 'shop_cache_requests_total', { result: 'hit' });
    await timed(url, 5);
    expect(metricValue(await client.metricsText('api-1'), 'shop_cache_requests_total', { result: 'hit' })).toBe(hitsDuring);
    await waitFor(async () => (await get(url)) && (await hitRatio('api-1')) === 0, { timeoutMs: 20_000, intervalMs: 500, message: 'hit ratio 0 while the cache is down' });

    await client.start('cache');
    await waitFor(async () => ((await get(url)).body as { source: string }).source === 'cache', { timeoutMs: 15_000, message: 'answers from the cache again' });
    await waitFor(async () => (await timed(url, 5)) && (await hitRatio('api-1')) > 0.5, { timeoutMs: 30_000, intervalMs: 200, message: 'hit ratio to recover' });
    await fetch(`${client.serviceUrl('db')}/admin/db`, { method: 'PUT', body: JSON.stringify({ queryMs: 3 }) });
  });

  it('db killed: 503 in under a second, dbCB opens; recovery after the restart', async () => {
    const { client, events } = lab;
    await client.startLoad({ rate: 30, path: '/api/orders' });
    await waitFor(() => samplesSince(events, Date.now() - 2500).some((s) => s.rps > 0 && s.errors === 0), { message: 'orders served' });
    const killedAt = Date.now();
    await client.kill('db', 'SIGKILL');
    const failed = await waitFor(async () => {
      const answer = await get(`${client.serviceUrl('api-1')}/api/orders`);
      return answer.status === 503 ? answer : null;
    }, { timeoutMs: 5000, intervalMs: 10, message: 'api-1 to answer 503' });
    expect(failed.ms).toBeLessThan(1000);
    expect(failed.body).toMatchObject({ error: expect.stringMatching(/database unavailable/) });
    const opened = await waitFor(() => events.find((e): e is BreakerEvent => e.type === 'breaker' && e.name === 'dbCB' && e.to === 'OPEN' && e.ts >= killedAt), { timeoutMs: 10_000, message: 'dbCB to open' });
    const fast = await get(`${client.serviceUrl(opened.service)}/api/orders`);
    if (fast.status === 503) expect(fast.ms).toBeLessThan(1000);

    const db = await waitFor(async () => {
      const s = await client.service('db');
      return s.restarts >= 1 && s.health === 'healthy' ? s : null;
    }, { timeoutMs: 20_000, message: 'db restarted by its policy' });
    expect(db.lastExit).toMatchObject({ reason: 'Killed', signal: 'SIGKILL' });
    await waitFor(() => events.find((e) => e.type === 'breaker' && e.service === opened.service && e.name === 'dbCB' && e.to === 'CLOSED' && e.ts > opened.ts), { timeoutMs: 30_000, message: 'dbCB to close after recovery' });
    await waitFor(async () => (await get(`${client.serviceUrl('edge')}/api/orders`)).status === 200, { message: 'orders served again' });
    const recovered = Date.now();
    await waitFor(() => samplesSince(events, recovered).length >= 2, { message: 'two samples after recovery' });
    expect(samplesSince(events, recovered).every((s) => s.errors === 0)).toBe(true);
    await client.stopLoad();
  });

  it('collector down: the api error rate does not change', async () => {
    const { client, events } = lab;
    const started = Date.now();
    await client.startLoad({ rate: 40, path: '/api/products' });
    await waitFor(() => samplesSince(events, started).length >= 3, { message: 'three baseline samples' });
    const before = samplesSince(events, started);
    const failuresBefore = metricValue(await client.metricsText('api-1'), 'shop_telemetry_export_failures_total');
    const stoppedAt = Date.now();
    await client.stop('collector');
    await waitFor(() => logLines(events, 'api-').some((l) => l.includes('Failed to export telemetry to collector')), { timeoutMs: 10_000, message: 'the api to notice' });
    await waitFor(() => samplesSince(events, stoppedAt).length >= 3, { message: 'three samples without the collector' });
    const after = samplesSince(events, stoppedAt);
    const errorRate = (samples: typeof before) => samples.reduce((n, s) => n + s.errors, 0) / Math.max(1, samples.reduce((n, s) => n + s.rps, 0));
    expect(errorRate(before)).toBe(0);
    expect(errorRate(after)).toBe(errorRate(before));
    expect(metricValue(await client.metricsText('api-1'), 'shop_telemetry_export_failures_total')).toBeGreaterThan(failuresBefore);
    await client.stopLoad();
    await client.start('collector');
  });

  it('connection pool exhaustion: the db refuses clients beyond max_connections with "too many clients"', async () => {
    const { client, events } = lab;
    await client.restart('db', { DB_MAX_CONNECTIONS: '2', DB_QUERY_MS: '30' });
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => get(`${client.serviceUrl(i % 2 ? 'api-1' : 'api-2')}/api/orders`)));
    const refused = answers.filter((a) => a.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(answers.some((a) => a.status === 200)).toBe(true);
    expect(refused.some((a) => /too many clients/.test(String((a.body as { error: string }).error)))).toBe(true);
    expect(logLines(events, 'db').some((l) => l.includes('FATAL: sorry, too many clients already'))).toBe(true);
    await client.restart('db', {});
  });
});
