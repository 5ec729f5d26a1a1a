import { readBody, sendJson } from '../http';
import { prom } from '../metrics';
import type { ServiceContext, ServiceImpl } from './common';

// collector: receives the api's telemetry pushes, an OpenTelemetry collector
// in miniature. Its failure must cost the api nothing but a warning.

/** Creates the collector service. */
export async function createCollector(context: ServiceContext): Promise<ServiceImpl> {
  let batches = 0;
  let spans = 0;
  const received = new prom.Counter({ name: 'collector_batches_received_total', help: 'Telemetry batches received.', labelNames: ['source'] as const, registers: [context.metrics.registry] });
  return {
    health: () => ({ batches, spans }),
    async handle(request, response, url) {
      if (request.method === 'POST' && url.pathname === '/v1/telemetry') {
        const body = JSON.parse((await readBody(request)) || '{}') as { service?: string; requests?: number };
        batches += 1;
        spans += body.requests ?? 0;
        received.inc({ source: body.service ?? 'unknown' });
        sendJson(response, 202, { accepted: true });
        return '/v1/telemetry';
      }
      if (request.method === 'GET' && url.pathname === '/v1/stats') {
        sendJson(response, 200, { batches, spans });
        return '/v1/stats';
      }
      return null;
    },
  };
}
