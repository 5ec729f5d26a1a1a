import { z } from 'zod';
import { httpCall } from '../drivers/http-request';

// A client for Prometheus's HTTP API (/api/v1/query, /api/v1/query_range,
// /api/v1/alerts): answers validated with zod, errors carrying Prometheus's
// own errorType and message.

/** One series of an instant vector. */
export interface PromSeries {
  readonly labels: Record<string, string>;
  /** Seconds since the epoch. */
  readonly time: number;
  readonly value: number;
}

/** One series of a range matrix. */
export interface PromRangeSeries {
  readonly labels: Record<string, string>;
  readonly points: readonly { time: number; value: number }[];
}

const Point = z.tuple([z.number(), z.string()]);
const Envelope = z.discriminatedUnion('status', [
  z.looseObject({ status: z.literal('success'), data: z.unknown() }),
  z.looseObject({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);
const VectorData = z.looseObject({ resultType: z.literal('vector'), result: z.array(z.looseObject({ metric: z.record(z.string(), z.string()), value: Point })) });
const ScalarData = z.looseObject({ resultType: z.literal('scalar'), result: Point });
const MatrixData = z.looseObject({ resultType: z.literal('matrix'), result: z.array(z.looseObject({ metric: z.record(z.string(), z.string()), values: z.array(Point) })) });

export const PromAlertSchema = z.looseObject({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  state: z.string(),
  activeAt: z.string().optional(),
  value: z.string().optional(),
});
export type PromAlert = z.infer<typeof PromAlertSchema>;

/** Options shared by every call. */
export interface PromCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** An error Prometheus answered with, or a transport failure. */
export class PromError extends Error {
  constructor(message: string, readonly errorType?: string) {
    super(message);
    this.name = 'PromError';
  }
}

async function call(baseUrl: string, path: string, query: Record<string, string>, options: PromCallOptions): Promise<unknown> {
  const result = await httpCall({ url: `${baseUrl.replace(/\/$/, '')}${path}`, query, timeoutMs: options.timeoutMs ?? 10_000, signal: options.signal, headers: options.headers });
  const envelope = Envelope.safeParse(result.body);
  if (!envelope.success) throw new PromError(`${path}: HTTP ${result.status}, not a Prometheus API answer`);
  if (envelope.data.status === 'error') throw new PromError(`${path}: ${envelope.data.errorType ?? 'error'}: ${envelope.data.error ?? `HTTP ${result.status}`}`, envelope.data.errorType);
  return envelope.data.data;
}

const toNumber = (text: string) => (text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text));

/** Evaluates an instant query; a scalar answer comes back as one series without labels. */
export async function queryInstant(baseUrl: string, promql: string, options: PromCallOptions & { time?: Date } = {}): Promise<PromSeries[]> {
  const data = await call(baseUrl, '/api/v1/query', { query: promql, ...(options.time ? { time: String(options.time.getTime() / 1000) } : {}) }, options);
  const scalar = ScalarData.safeParse(data);
  if (scalar.success) return [{ labels: {}, time: scalar.data.result[0], value: toNumber(scalar.data.result[1]) }];
  const vector = VectorData.safeParse(data);
  if (!vector.success) throw new PromError(`query ${promql}: unexpected result type`);
  return vector.data.result.map((r) => ({ labels: r.metric, time: r.value[0], value: toNumber(r.value[1]) }));
}

/** Evaluates a range query. */
export async function queryRange(baseUrl: string, promql: string, range: { start: Date; end: Date; stepSeconds: number }, options: PromCallOptions = {}): Promise<PromRangeSeries[]> {
  const data = await call(baseUrl, '/api/v1/query_range', {
    query: promql, start: String(range.start.getTime() / 1000), end: String(range.end.getTime() / 1000), step: String(range.stepSeconds),
  }, options);
  const matrix = MatrixData.safeParse(data);
  if (!matrix.success) throw new PromError(`query_range ${promql}: unexpected result type`);
  return matrix.data.result.map((r) => ({ labels: r.metric, points: r.values.map(([time, value]) => ({ time, value: toNumber(value) })) }));
}

/** The alerts Prometheus is evaluating (pending and firing). */
export async function listPrometheusAlerts(baseUrl: string, options: PromCallOptions = {}): Promise<PromAlert[]> {
  const data = z.looseObject({ alerts: z.array(PromAlertSchema) }).safeParse(await call(baseUrl, '/api/v1/alerts', {}, options));
  if (!data.success) throw new PromError('/api/v1/alerts: unexpected answer');
  return data.data.alerts;
}
