import http from 'node:http';
import { envBoolean, envNumber } from '../env';
import { HttpError, listen, readJson, sendError, sendJson, sendText } from '../http';
import type { Logger } from '../logger';
import type { ServiceMetrics } from '../metrics';
import type { ServiceRuntimeConfig } from '../topology';
import { validate, ValidationError, type FieldRule } from '../validate';
import { createCpuHog, createMemoryHog, rssMb, type CpuHog, type MemoryHog } from './stress';

// What every lab service shares: an HTTP server with /health, /metrics and the
// /admin knobs (chaos, cpu, memory), request-duration metrics, and the chaos
// middleware that honours CHAOS_ENABLED, CHAOS_LATENCY_MS and CHAOS_ERROR_RATE.

/** The injected-fault knobs, set from the environment at start and live through /admin/chaos. */
export interface Chaos {
  enabled: boolean;
  latencyMs: number;
  errorRate: number;
}

const CHAOS_RULES: Record<keyof Chaos, FieldRule> = {
  enabled: { type: 'boolean', isOptional: true },
  latencyMs: { type: 'number', min: 0, isOptional: true },
  errorRate: { type: 'number', min: 0, max: 1, isOptional: true },
};

/** A structured event a service sends its supervisor over IPC. */
export type ServiceEvent =
  | { readonly kind: 'breaker'; readonly name: string; readonly from: string; readonly to: string; readonly failureRate: number }
  | { readonly kind: 'upstream'; readonly name: string; readonly isHealthy: boolean; readonly reason: string };

/** What a service implementation gets. */
export interface ServiceContext {
  readonly config: ServiceRuntimeConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Sends an event to the supervisor (no-op without one). */
  emit(event: ServiceEvent): void;
}

/** A service's own routes and lifecycle. */
export interface ServiceImpl {
  /** Handles a request and returns the route label for metrics, or null when the path is not this service's. */
  handle(request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<string | null>;
  /** Extra fields for /health. */
  health?(): Record<string, unknown>;
  /** Routes that chaos applies to (business routes); all of this service's routes when absent. */
  isChaosRoute?(url: URL): boolean;
  close?(): Promise<void>;
}

/** A running HTTP service. */
export interface RunningService {
  readonly server: http.Server;
  readonly port: number;
  readonly chaos: Chaos;
  readonly cpu: CpuHog;
  readonly memory: MemoryHog;
  close(): Promise<void>;
}

/** Reads the chaos knobs from the environment. */
export function chaosFromEnv(env: NodeJS.ProcessEnv): Chaos {
  return {
    enabled: envBoolean(env, 'CHAOS_ENABLED', false),
    latencyMs: Math.max(0, envNumber(env, 'CHAOS_LATENCY_MS', 0)),
    errorRate: Math.min(1, Math.max(0, envNumber(env, 'CHAOS_ERROR_RATE', 0))),
  };
}

const CPU_RULES: Record<string, FieldRule> = { percent: { type: 'number', min: 0, max: 100 }, durationMs: { type: 'number', min: 0, isOptional: true } };
const MEMORY_RULES: Record<string, FieldRule> = { mb: { type: 'number', min: 0 }, growMbPerSecond: { type: 'number', min: 0.001, isOptional: true } };

/** Validates a request body, answering 400 with every problem. */
export function body<T>(input: unknown, rules: Readonly<Record<string, FieldRule>>): T {
  try {
    return validate<T>(input, rules);
  } catch (error) {
    throw new HttpError(400, error instanceof ValidationError ? error.message : String(error));
  }
}

/** Starts a service's HTTP server with the shared routes around `impl`. */
export async function runHttpService(context: ServiceContext, impl: ServiceImpl): Promise<RunningService> {
  const { logger, metrics, config } = context;
  const chaos: Chaos = chaosFromEnv(context.env);
  if (chaos.enabled) logger.warn(`chaos enabled at start: latency ${chaos.latencyMs} ms, error rate ${chaos.errorRate}`);
  const cpu = createCpuHog(logger);
  const memory = createMemoryHog(logger);
  const startedAt = Date.now();

  const shared = async (request: http.IncomingMessage, response: http.ServerResponse, url: URL): Promise<string | null> => {
    const method = request.method ?? 'GET';
    switch (`${method} ${url.pathname}`) {
      case 'GET /health':
        sendJson(response, 200, { status: 'UP', service: config.name, uptimeMs: Date.now() - startedAt, ...impl.health?.() });
        return '/health';
      case 'GET /metrics':
        sendText(response, 200, await metrics.render(), metrics.registry.contentType);
        return '/metrics';
      case 'GET /admin/chaos':
        sendJson(response, 200, chaos);
        return '/admin/chaos';
      case 'PUT /admin/chaos':
      case 'POST /admin/chaos': {
        Object.assign(chaos, body<Partial<Chaos>>(await readJson(request), CHAOS_RULES));
        logger.warn(`chaos set: enabled ${chaos.enabled}, latency ${chaos.latencyMs} ms, error rate ${chaos.errorRate}`);
        sendJson(response, 200, chaos);
        return '/admin/chaos';
      }
      case 'GET /admin/cpu':
        sendJson(response, 200, { percent: cpu.percent });
        return '/admin/cpu';
      case 'PUT /admin/cpu':
      case 'POST /admin/cpu': {
        const wanted = body<{ percent: number; durationMs?: number }>(await readJson(request), CPU_RULES);
        cpu.set(wanted.percent, wanted.durationMs);
        sendJson(response, 200, { percent: cpu.percent });
        return '/admin/cpu';
      }
      case 'GET /admin/memory':
        sendJson(response, 200, { heldMb: memory.heldMb, targetMb: memory.targetMb, rssMb: rssMb() });
        return '/admin/memory';
      case 'PUT /admin/memory':
      case 'POST /admin/memory': {
        const wanted = body<{ mb: number; growMbPerSecond?: number }>(await readJson(request), MEMORY_RULES);
        memory.set(wanted.mb, wanted.growMbPerSecond);
        sendJson(response, 200, { heldMb: memory.heldMb, targetMb: memory.targetMb, rssMb: rssMb() });
        return '/admin/memory';
      }
      case 'GET /debug/leak':
      case 'POST /debug/leak': {
        const mb = Math.max(1, Math.min(512, Number(url.searchParams.get('mb') ?? 16) || 16));
        memory.leak(mb);
        sendJson(response, 200, { leakedMb: mb, heldMb: memory.heldMb, rssMb: rssMb() });
        return '/debug/leak';
      }
      default:
        return null;
    }
  };

  const server = http.createServer((request, response) => {
    const started = performance.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    let route = 'unmatched';
    response.on('finish', () => {
      metrics.requestDuration.observe({ method: request.method ?? 'GET', route, status_code: String(response.statusCode) }, (performance.now() - started) / 1000);
    });
    const dispatch = async () => {
      const sharedRoute = await shared(request, response, url);
      if (sharedRoute) {
        route = sharedRoute;
        return;
      }
      if (chaos.enabled && (impl.isChaosRoute?.(url) ?? true)) {
        if (chaos.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, chaos.latencyMs));
        if (chaos.errorRate > 0 && Math.random() < chaos.errorRate) {
          route = 'chaos';
          logger.sampled('chaos-error', 'error', `injected error on ${request.method} ${url.pathname} (CHAOS_ERROR_RATE=${chaos.errorRate})`);
          sendJson(response, 500, { error: 'injected error', status: 500 });
          return;
        }
      }
      const ownRoute = await impl.handle(request, response, url);
      if (ownRoute) {
        route = ownRoute;
        return;
      }
      sendJson(response, 404, { error: `no route for ${request.method} ${url.pathname}`, status: 404 });
    };
    dispatch().catch((error: unknown) => sendError(response, error));
  });
  server.keepAliveTimeout = 30_000;
  const port = await listen(server, config.httpPort);
  logger.info(`${config.name} listening on http://127.0.0.1:${port}`);
  return {
    server,
    port,
    chaos,
    cpu,
    memory,
    async close() {
      cpu.stop();
      memory.stop();
      await impl.close?.();
      server.closeIdleConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
