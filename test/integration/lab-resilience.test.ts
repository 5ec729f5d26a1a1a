import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../src/lab/client';
import { get, logLines, metricValue, samplesSince, startTestLab, waitFor, type TestLab } from './lab-helpers';

// Retry and circuit breaker on the real lab: a partition between api and
// backend (a Toxiproxy `timeout` toxic on the backend link) must show retries
// with growing backoff, the breaker opening, fallback answers that stay 200,
// and after the heal HALF_OPEN then CLOSED. A flapping backend must not cause
// a retry storm.

type BreakerEvent = Extract<LabEvent, { type: 'breaker' }>;

describe('lab: retry and circuit breaker', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab();
  });
  afterAll(async () => {
    await lab?.client.stopLoad().catch(() => {});
    await lab?.stop();
  });

  it('partition api → backend: backoff grows, backendCB opens, fallback keeps 200, heal closes it', async () => {
    const { client, events } = lab;
    await client.startLoad({ rate: 20, path: '/api/products' });
    await waitFor(() => samplesSince(events, Date.now() - 3000).length >= 1, { message: 'load running' });

    const partitionedAt = Date.now();
    await client.addToxic('backend', { name: 'partition', type: 'timeout', attributes: { timeout: 0 } });
    const opened = await waitFor(() => events.find((e): e is BreakerEvent => e.type === 'breaker' && e.name === 'backendCB' && e.to === 'OPEN' && e.ts >= partitionedAt), { timeoutMs: 20_000, message: 'backendCB to open' });
    console.log(`partition: backendCB opened on ${opened.service} ${opened.ts - partitionedAt} ms after the partition (failure rate ${opened.failureRate} %)`);

    const waits = (attempt: number) => logLines(events, 'api-').flatMap((line) => {
      const match = new RegExp(`Retry 'backendRetry' - Attempt #${attempt}, waiting (\\d+) ms`).exec(line);
      return match ? [Number(match[1])] : [];
    });
    const second = waits(2);
    const third = waits(3);
    expect(second.length).toBeGreaterThan(0);
    expect(third.length).toBeGreaterThan(0);
    // Exponential backoff (100 ms, doubling) with ±50 % jitter: every wait lies in
    // its attempt's range, and the ranges' centres double. Comparing means of a
    // few sampled log lines flaked: the two ranges overlap on 100–150 ms.
    expect(Math.min(...second)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...second)).toBeLessThanOrEqual(150);
    expect(Math.min(...third)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...third)).toBeLessThanOrEqual(300);
    // Jitter: the waits are not all the same.
    expect(new Set([...second, ...third]).size).toBeGreaterThan(1);

    const answer = await get(`${client.serviceUrl(opened.service)}/api/products`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ pricing: 'fallback' });
    expect(answer.ms).toBeLessThan(1000);
    expect(logLines(events, 'api-').some((l) => l.includes("Fallback response due to error: CircuitBreaker 'backendCB' is OPEN and does not permit further calls"))).toBe(true);
    expect(logLines(events, 'api-').some((l) => l.includes("CircuitBreaker 'backendCB' changed state from CLOSED to OPEN"))).toBe(true);
    const metrics = await client.metricsText(opened.service);
    expect(metricValue(metrics, 'resilience4j_circuitbreaker_state', { name: 'backendCB', state: 'open' })).toBe(1);

    const healedAt = Date.now();
    expect(await client.removeToxic('backend', 'partition')).toBe(true);
    const closed = await waitFor(() => events.find((e): e is BreakerEvent => e.type === 'breaker' && e.service === opened.service && e.name === 'backendCB' && e.to === 'CLOSED' && e.ts >= healedAt), { timeoutMs: 30_000, message: 'backendCB to close again' });
    const halfOpen = events.find((e): e is BreakerEvent => e.type === 'breaker' && e.service === opened.service && e.name === 'backendCB' && e.to === 'HALF_OPEN' && e.ts >= opened.ts);
    expect(halfOpen).toBeDefined();
    expect(halfOpen?.ts).toBeLessThanOrEqual(closed.ts);
    expect(closed.from).toBe('HALF_OPEN');

    // Users saw 200s throughout: fallbacks, never errors.
    const during = samplesSince(events, partitionedAt).filter((s) => s.ts <= closed.ts);
    expect(during.reduce((n, s) => n + s.errors, 0)).toBe(0);
    expect((await get(`${client.serviceUrl('edge')}/api/products`)).body).toMatchObject({ pricing: 'live' });
    await client.stopLoad();
  });

  it('a flapping backend: retries back off and attempts per second stay bounded (no retry storm)', async () => {
    const { client, events } = lab;
    const rate = 40;
    // Calls that reached the backend link: the ones backendCB let through.
    const attempts = async () => {
      let total = 0;
      for (const service of ['api-1', 'api-2']) {
        const text = await client.metricsText(service);
        for (const kind of ['successful', 'failed']) total += metricValue(text, 'resilience4j_circuitbreaker_calls_total', { name: 'backendCB', kind });
      }
      return total;
    };
    const loadStarted = Date.now();
    await client.startLoad({ rate, path: '/api/products' });
    await waitFor(() => samplesSince(events, loadStarted).length >= 1, { message: 'load running' });
    const before = await attempts();
    const started = performance.now();
    // The backend link goes down and up every 800 ms for about 6 s.
    for (let i = 0; i < 8; i += 1) {
      await client.setProxyEnabled('backend', i % 2 === 1);
      await new Promise((resolve) => setTimeout(resolve, 800));
    }
    await client.setProxyEnabled('backend', true);
    const seconds = (performance.now() - started) / 1000;
    const perSecond = ((await attempts()) - before) / seconds;
    console.log(`flapping: ${perSecond.toFixed(1)} backend attempts/s for ${rate} requests/s (a storm with 3 attempts each would be ${3 * rate}/s)`);
    // Without backoff and a breaker every request would try three times while the link is down.
    expect(perSecond).toBeLessThanOrEqual(rate * 1.5);
    let retried = 0;
    for (const service of ['api-1', 'api-2']) {
      const text = await client.metricsText(service);
      retried += metricValue(text, 'resilience4j_retry_calls_total', { name: 'backendRetry', kind: 'successful_with_retry' }) + metricValue(text, 'resilience4j_retry_calls_total', { name: 'backendRetry', kind: 'failed_with_retry' });
    }
    expect(retried).toBeGreaterThan(0);
    const flapping = samplesSince(events, loadStarted);
    expect(flapping.reduce((n, s) => n + s.errors, 0)).toBe(0);
    await client.stopLoad();
  });
});
