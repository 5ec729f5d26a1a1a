import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa, execaSync, type ResultPromise } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { openPrometheusSource } from '../../src/sources/prometheus';
import { openAlertsSource } from '../../src/sources/alerts';
import { queryInstant, queryRange, PromError } from '../../src/sources/promql';
import { createTestSourceContext, waitFor } from '../fixtures/drivers/context';

// Debian's prometheus server (apt-get install prometheus), run by the test on
// a loopback port with a temporary configuration, scraping a /metrics endpoint
// the test serves with prom-client; the deck's sources query it with PromQL.
// The same endpoint is also read directly (`scrape:`) without the server.

const hasPrometheus = (() => {
  try {
    execaSync('prometheus', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
if (!hasPrometheus) console.warn('skipping Prometheus source tests: the `prometheus` binary is not installed (apt-get install prometheus)');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('Prometheus sources', () => {
  const registry = new Registry();
  const requests = new Counter({ name: 'shop_requests_total', help: 'requests', labelNames: ['code'], registers: [registry] });
  const duration = new Histogram({ name: 'shop_request_duration_seconds', help: 'latency', buckets: [0.05, 0.1, 0.25, 0.5, 1], registers: [registry] });
  const breaker = new Gauge({ name: 'resilience4j_circuitbreaker_state', help: 'state', labelNames: ['name', 'state'], registers: [registry] });
  let app: Server;
  let metricsUrl: string;
  let prometheus: ResultPromise | undefined;
  let promUrl: string;

  beforeAll(async () => {
    requests.inc({ code: '200' }, 90);
    requests.inc({ code: '500' }, 10);
    for (let i = 0; i < 100; i++) duration.observe(i < 90 ? 0.08 : 0.7);
    breaker.set({ name: 'backendCB', state: 'closed' }, 0);
    breaker.set({ name: 'backendCB', state: 'open' }, 1);
    app = createServer((_req, res) => {
      void registry.metrics().then((text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text));
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const appPort = (app.address() as AddressInfo).port;
    metricsUrl = `http://127.0.0.1:${appPort}/metrics`;
    if (!hasPrometheus) return;
    const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
    writeFileSync(join(dir, 'rules.yml'), [
      'groups:', '- name: shop', '  interval: 1s', '  rules:',
      '  - alert: ShopErrors', '    expr: shop_requests_total{code="500"} > 0', '    annotations: {summary: "the shop answers 500"}',
    ].join('\n'));
    writeFileSync(join(dir, 'prometheus.yml'), [
      'global: {scrape_interval: 1s, evaluation_interval: 1s}', 'rule_files: [rules.yml]',
      'scrape_configs:', '- job_name: shop', '  static_configs:', `  - targets: ['127.0.0.1:${appPort}']`,
    ].join('\n'));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = execa('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { reject: false, cwd: dir });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const series = await queryInstant(promUrl, 'up{job="shop"}').catch(() => []);
      if (series[0]?.value === 1) break;
      if (Date.now() > deadline) throw new Error('prometheus did not scrape the test endpoint within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });
  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await prometheus;
    await new Promise((resolve) => app?.close(resolve));
  });

  it('reads resilience4j breakers from a scraped /metrics page without a server', async () => {
    const context = createTestSourceContext();
    const source = openPrometheusSource({ kind: 'breakers', from: 'prometheus', scrape: metricsUrl }, context);
    const event = await waitFor(() => context.events.find((e) => e.type === 'breaker'), 5_000, 'breaker');
    expect(event).toMatchObject({ name: 'backendCB', state: 'OPEN', source: 'prometheus:breakers' });
    await source.stop();
  });

  describe.skipIf(!hasPrometheus)('against a real Prometheus server', () => {
    it('answers instant and range queries', async () => {
      const series = await queryInstant(promUrl, 'sum by (code) (shop_requests_total)');
      expect(Object.fromEntries(series.map((s) => [s.labels.code, s.value]))).toEqual({ 200: 90, 500: 10 });
      const end = new Date();
      const range = await queryRange(promUrl, 'shop_requests_total{code="500"}', { start: new Date(end.getTime() - 5_000), end, stepSeconds: 1 });
      expect(range[0]?.points.length).toBeGreaterThan(0);
      expect(range[0]?.points.every((p) => p.value === 10)).toBe(true);
    });

    it('reports a PromQL error with its type', async () => {
      const error = await queryInstant(promUrl, 'sum(').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PromError);
      expect((error as PromError).errorType).toBe('bad_data');
    });

    it('emits metrics, latency percentiles and breaker state from PromQL', async () => {
      const context = createTestSourceContext();
      const metrics = openPrometheusSource({ kind: 'metrics', from: 'prometheus', id: 'errors', url: promUrl, queries: { error_share: 'sum(shop_requests_total{code="500"}) / sum(shop_requests_total)' } }, context);
      const latency = openPrometheusSource({
        kind: 'latency', from: 'prometheus', id: 'lat', url: promUrl,
        queries: { p50: 'histogram_quantile(0.5, sum by (le) (shop_request_duration_seconds_bucket))', p99: 'histogram_quantile(0.99, sum by (le) (shop_request_duration_seconds_bucket))' },
      }, context);
      const breakers = openPrometheusSource({ kind: 'breakers', from: 'prometheus', id: 'cb', url: promUrl }, context);
      const metric = await waitFor(() => context.events.find((e) => e.type === 'metric' && e.source === 'errors'), 10_000, 'metric');
      expect(metric).toMatchObject({ name: 'error_share', value: 0.1 });
      const lat = await waitFor(() => context.events.find((e) => e.type === 'latency'), 10_000, 'latency');
      expect(lat.type === 'latency' && lat.p50).toBeGreaterThan(50);
      expect(lat.type === 'latency' && lat.p50).toBeLessThanOrEqual(100);
      expect(lat.type === 'latency' && lat.p99).toBeGreaterThan(500);
      expect(await waitFor(() => context.events.find((e) => e.type === 'breaker'), 10_000, 'breaker')).toMatchObject({ name: 'backendCB', state: 'OPEN', source: 'cb' });
      await Promise.all([metrics.stop(), latency.stop(), breakers.stop()]);
    });

    it('shows an alert rule firing, and expected alerts as inactive first', async () => {
      const context = createTestSourceContext();
      const source = openAlertsSource({ kind: 'alerts', from: 'alerts', url: promUrl, interval: 0.5, expect: ['CacheMissRateHigh'] }, context);
      const firing = await waitFor(() => context.events.find((e) => e.type === 'alert' && e.name === 'ShopErrors' && e.state === 'firing'), 20_000, 'ShopErrors firing');
      expect(firing).toMatchObject({ summary: 'the shop answers 500' });
      expect(context.events.find((e) => e.type === 'alert' && e.name === 'CacheMissRateHigh')).toMatchObject({ state: 'inactive' });
      await source.stop();
    });
  });
});
