import client from 'prom-client';

// Every lab service exposes Prometheus metrics with prom-client: process
// metrics, a request-duration histogram, and whatever the service adds. One
// registry per process, so /metrics shows exactly this service.

/** A service's metrics registry with the metrics all services share. */
export interface ServiceMetrics {
  readonly registry: client.Registry;
  readonly requestDuration: client.Histogram<'method' | 'route' | 'status_code'>;
  /** Text exposition format, for GET /metrics. */
  render(): Promise<string>;
}

/** Creates the registry with default process metrics and the request-duration histogram. */
export function createServiceMetrics(service: string): ServiceMetrics {
  const registry = new client.Registry();
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  // prom-client names three gauges `*_total`, which promtool's linter rejects; the per-type gauges it also exports carry the same numbers.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  const requestDuration = new client.Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP requests served, by route and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    requestDuration,
    render: () => registry.metrics(),
  };
}

export { client as prom };
