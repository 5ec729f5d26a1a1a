import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { z } from 'zod';
import type { Source, SourceContext } from '../drivers/driver';
import type { SourceSpec } from '../scenario/environment';
import { summarize } from './percentiles';
import { sourceIdOf } from './source-id';

// `from: probe`: requests to any URL at a steady rate, measured the way a user
// sees them. Every window (one second by default) it emits a `latency` event:
// p50/p95/p99 of the requests that completed, requests per second, and the
// share that failed (a network error, a timeout, or an unexpected status).

export const ProbeSourceSchema = z.looseObject({
  url: z.string().url(),
  method: z.string().default('GET'),
  /** Requests per second. */
  rate: z.number().positive().max(1000).default(5),
  /** Milliseconds before a request counts as failed. */
  timeoutMs: z.number().int().positive().default(2_000),
  /** Statuses below this count as success. */
  okBelow: z.number().int().default(400),
  /** Milliseconds per emitted window. */
  windowMs: z.number().int().positive().default(1_000),
  headers: z.record(z.string(), z.string()).default({}),
  verifyTls: z.boolean().default(true),
});
export type ProbeSource = z.infer<typeof ProbeSourceSchema>;

interface Completed { readonly ms: number; readonly isError: boolean }

/** Sends one request and resolves with its duration and whether it failed; never rejects. */
export function probeOnce(fields: ProbeSource, agent: HttpAgent | HttpsAgent, signal: AbortSignal): Promise<Completed> {
  const url = new URL(fields.url);
  const started = performance.now();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let isSettled = false;
    const settle = (isError: boolean) => {
      if (isSettled) return;
      isSettled = true;
      resolve({ ms: performance.now() - started, isError });
    };
    const req = send(url, {
      method: fields.method, headers: fields.headers, agent, signal, timeout: fields.timeoutMs,
      ...(url.protocol === 'https:' ? { rejectUnauthorized: fields.verifyTls } : {}),
    }, (res) => {
      res.resume();
      res.on('end', () => settle((res.statusCode ?? 0) >= fields.okBelow));
      res.on('error', () => settle(true));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => settle(true));
    req.end();
  });
}

/** Opens a probe source. */
export function openProbeSource(spec: SourceSpec, context: SourceContext): Source {
  const fields = ProbeSourceSchema.parse({ ...context.config, ...spec });
  const id = sourceIdOf(spec);
  const controller = new AbortController();
  const abort = () => controller.abort();
  context.signal.addEventListener('abort', abort, { once: true });
  const agent = new (fields.url.startsWith('https:') ? HttpsAgent : HttpAgent)({ keepAlive: true, maxSockets: 64 });
  const inFlight = new Map<number, number>();
  const pending = new Set<Promise<void>>();
  let window: Completed[] = [];
  let sequence = 0;
  const fire = () => {
    if (controller.signal.aborted || inFlight.size >= 256) return;
    const key = sequence++;
    inFlight.set(key, performance.now());
    const done = probeOnce(fields, agent, controller.signal).then((completed) => {
      inFlight.delete(key);
      if (!controller.signal.aborted) window.push(completed);
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };
  const report = () => {
    const completed = window;
    window = [];
    if (completed.length === 0) {
      if (inFlight.size === 0) return;
      // Nothing came back in this window: the oldest request's age is a lower bound on latency.
      const age = performance.now() - Math.min(...inFlight.values());
      context.emit({ type: 'latency', source: id, p50: age, p95: age, p99: age, rps: 0, errorRate: 0 });
      return;
    }
    const { p50, p95, p99 } = summarize(completed.map((c) => c.ms));
    const errors = completed.filter((c) => c.isError).length;
    context.emit({ type: 'latency', source: id, p50, p95, p99, rps: completed.length / (fields.windowMs / 1000), errorRate: errors / completed.length });
  };
  const firing = setInterval(fire, 1000 / fields.rate);
  const reporting = setInterval(report, fields.windowMs);
  fire();
  return {
    id,
    async stop() {
      clearInterval(firing);
      clearInterval(reporting);
      controller.abort();
      context.signal.removeEventListener('abort', abort);
      await Promise.all(pending);
      agent.destroy();
    },
  };
}
