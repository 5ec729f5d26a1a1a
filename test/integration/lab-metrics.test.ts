import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_NAMES } from '../../src/lab/client';
import { get, metricValue, startTestLab, type TestLab } from './lab-helpers';

// Every lab service's /metrics must pass `promtool check metrics` (Debian's
// prometheus package) and carry the metrics the scenarios and dashboards read.

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool) console.warn('skipping the promtool check: promtool is not installed (apt-get install prometheus)');

describe('lab metrics', () => {
  let lab: TestLab;
  beforeAll(async () => {
    lab = await startTestLab();
    for (let i = 0; i < 5; i += 1) await get(`${lab.client.serviceUrl('edge')}/api/products`);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it.skipIf(!hasPromtool).each([...SERVICE_NAMES])('%s passes promtool check metrics', async (service) => {
    const text = await lab.client.metricsText(service);
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(`${checked.stdout}${checked.stderr}`.trim()).toBe('');
    expect(checked.status).toBe(0);
  });

  it('exposes request durations, breaker state, retries, cache, pool and process metrics', async () => {
    const api = await lab.client.metricsText('api-1');
    for (const name of ['http_server_request_duration_seconds_bucket', 'resilience4j_circuitbreaker_state', 'resilience4j_retry_calls_total', 'shop_cache_requests_total', 'shop_db_pool_connections', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(api, name).toContain(`${name}{`);
    }
    expect(metricValue(api, 'resilience4j_circuitbreaker_state', { name: 'backendCB', state: 'closed' })).toBe(1);
    expect(metricValue(api, 'shop_db_pool_connections', { state: 'max' })).toBe(5);
    const edge = await lab.client.metricsText('edge');
    expect(metricValue(edge, 'edge_upstream_healthy', { upstream: 'api-2' })).toBe(1);
    expect(metricValue(await lab.client.metricsText('db'), 'db_connections_max')).toBe(20);
    expect(metricValue(await lab.client.metricsText('proxy'), 'toxiproxy_proxy_enabled', { proxy: 'backend' })).toBe(1);
  });
});
