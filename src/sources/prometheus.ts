import { z } from 'zod';
import type { UnstampedEvent } from '../engine/events';
import type { Source, SourceContext } from '../drivers/driver';
import type { SourceSpec } from '../scenario/environment';
import { DeckError } from '../engine/errors';
import { startPolling } from './poll';
import { queryInstant } from './promql';
import { resilienceEvents } from './resilience4j';
import { parsePrometheusText } from './prometheus-text';
import { scrapeMetrics } from './scrape';
import { sourceIdOf } from './source-id';
import { openAlertsSource } from './alerts';

// `from: prometheus`: PromQL against a Prometheus server (`url`), or a
// /metrics page scraped directly (`scrape`). What it emits follows `kind`:
// metrics (one metric event per series), latency (queries named p50, p95, p99,
// rps, errorRate), breakers (resilience4j state), alerts (/api/v1/alerts).

const QuerySchema = z.strictObject({ name: z.string(), query: z.string(), unit: z.string().optional() });

export const PrometheusSourceSchema = z.looseObject({
  /** A Prometheus server's base URL, e.g. http://127.0.0.1:9090. */
  url: z.string().url().optional(),
  /** A /metrics URL to read directly instead of asking a server. */
  scrape: z.string().url().optional(),
  /** PromQL per name; as a list or as a `name: query` map. */
  queries: z.union([z.array(QuerySchema), z.record(z.string(), z.string())]).optional(),
  /** With `scrape`: which metric names to emit (all of them when absent). */
  metrics: z.array(z.string()).optional(),
  /** Seconds between reads. */
  interval: z.number().positive().default(2),
  /** Latency queries answer in seconds (`s`, Prometheus's convention) or milliseconds (`ms`). */
  latencyUnit: z.enum(['s', 'ms']).default('s'),
  timeoutMs: z.number().int().positive().default(5_000),
});
export type PrometheusSource = z.infer<typeof PrometheusSourceSchema>;

function queriesOf(fields: PrometheusSource): z.infer<typeof QuerySchema>[] {
  if (!fields.queries) return [];
  return Array.isArray(fields.queries) ? fields.queries : Object.entries(fields.queries).map(([name, query]) => ({ name, query }));
}

async function readQueries(fields: PrometheusSource, id: string, signal: AbortSignal): Promise<UnstampedEvent[]> {
  const events: UnstampedEvent[] = [];
  for (const query of queriesOf(fields)) {
    const series = await queryInstant(fields.url!, query.query, { signal, timeoutMs: fields.timeoutMs });
    for (const s of series) {
      if (!Number.isFinite(s.value)) continue;
      events.push({ type: 'metric', source: id, name: query.name, value: s.value, ...(Object.keys(s.labels).length ? { labels: s.labels } : {}), ...(query.unit ? { unit: query.unit } : {}) });
    }
  }
  return events;
}

async function readLatency(fields: PrometheusSource, id: string, signal: AbortSignal): Promise<UnstampedEvent[]> {
  const values: Record<string, number> = {};
  for (const query of queriesOf(fields)) {
    const [first] = await queryInstant(fields.url!, query.query, { signal, timeoutMs: fields.timeoutMs });
    values[query.name] = first && Number.isFinite(first.value) ? first.value : 0;
  }
  const scale = fields.latencyUnit === 's' ? 1000 : 1;
  return [{
    type: 'latency', source: id,
    p50: (values.p50 ?? 0) * scale, p95: (values.p95 ?? 0) * scale, p99: (values.p99 ?? 0) * scale,
    rps: Math.max(0, values.rps ?? 0), errorRate: Math.min(1, Math.max(0, values.errorRate ?? 0)),
  }];
}

async function readScrape(fields: PrometheusSource, id: string, kind: SourceSpec['kind'], signal: AbortSignal): Promise<UnstampedEvent[]> {
  const exposition = await scrapeMetrics(fields.scrape!, { signal, timeoutMs: fields.timeoutMs });
  if (kind === 'breakers') return resilienceEvents(exposition, id);
  const wanted = fields.metrics ? new Set(fields.metrics) : null;
  return exposition.samples
    .filter((s) => (!wanted || wanted.has(s.name)) && Number.isFinite(s.value))
    .map((s) => ({ type: 'metric' as const, source: id, name: s.name, value: s.value, ...(Object.keys(s.labels).length ? { labels: { ...s.labels } } : {}) }));
}

async function readBreakersByQuery(fields: PrometheusSource, id: string, signal: AbortSignal): Promise<UnstampedEvent[]> {
  const series = await queryInstant(fields.url!, 'resilience4j_circuitbreaker_state == 1', { signal, timeoutMs: fields.timeoutMs });
  const lines = series.map((s) => `resilience4j_circuitbreaker_state{name="${s.labels.name ?? ''}",state="${s.labels.state ?? ''}"} 1`).join('\n');
  return resilienceEvents(parsePrometheusText(lines), id);
}

/** Opens a Prometheus source; a spec that gives neither `url` nor `scrape` is an ENVIRONMENT_INVALID error. */
export function openPrometheusSource(spec: SourceSpec, context: SourceContext): Source {
  const fields = PrometheusSourceSchema.parse({ ...context.config, ...spec });
  const id = sourceIdOf(spec);
  if (spec.kind === 'alerts') {
    if (!fields.url) throw new DeckError('ENVIRONMENT_INVALID', `source ${id}: alerts from prometheus need \`url\``);
    return openAlertsSource({ ...spec, url: fields.url, api: 'prometheus' }, context);
  }
  if (!fields.url && !fields.scrape) throw new DeckError('ENVIRONMENT_INVALID', `source ${id}: a prometheus source needs \`url\` (a server) or \`scrape\` (a /metrics URL)`);
  if ((spec.kind === 'latency' || spec.kind === 'metrics') && !fields.scrape && queriesOf(fields).length === 0) {
    throw new DeckError('ENVIRONMENT_INVALID', `source ${id}: give \`queries\` (PromQL by name)`);
  }
  const read = async (signal: AbortSignal): Promise<UnstampedEvent[]> => {
    if (fields.scrape && (spec.kind === 'breakers' || spec.kind === 'metrics')) return readScrape(fields, id, spec.kind, signal);
    if (spec.kind === 'breakers') return readBreakersByQuery(fields, id, signal);
    if (spec.kind === 'latency') return readLatency(fields, id, signal);
    return readQueries(fields, id, signal);
  };
  return startPolling({
    id, intervalMs: fields.interval * 1000, signal: context.signal, emit: context.emit,
    read: async (signal) => {
      for (const event of await read(signal)) context.emit(event);
    },
  });
}
