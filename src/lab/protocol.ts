import { z } from 'zod';
import type { RestartPolicy, ServiceKind } from './topology';

// The control API's vocabulary, shared by the supervisor (which serves it)
// and the client (which the deck and the lab driver use). Request bodies are
// zod schemas; responses and events are plain types.

/** Where a service is in its life. */
export type ServiceState = 'stopped' | 'starting' | 'running' | 'stopping' | 'backoff' | 'exited';

/** What the supervisor's health checks say. */
export type ServiceHealth = 'healthy' | 'unhealthy' | 'unknown';

/** Why a process ended, in Kubernetes' words (OOMKilled, Error, Completed) plus the lab's own. */
export type ExitReason = 'Completed' | 'Error' | 'OOMKilled' | 'Killed' | 'Stopped';

/** The last exit of a service. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
  readonly reason: ExitReason;
  /** Wall-clock ms. */
  readonly at: number;
}

/** One service as `lab status` shows it. */
export interface ServiceStatus {
  readonly name: string;
  readonly kind: ServiceKind;
  readonly state: ServiceState;
  readonly health: ServiceHealth;
  readonly pid: number | null;
  /** Restarts made by the restart policy (manual restarts are not counted, as in Kubernetes). */
  readonly restarts: number;
  readonly oomKills: number;
  readonly lastExit: ExitInfo | null;
  readonly url: string;
  readonly port: number;
  readonly dataPort: number | null;
  /** Wall-clock ms when the service entered its current state. */
  readonly since: number;
  /** Wall-clock ms when the current (or last) process was spawned; null before the first start. */
  readonly startedAt: number | null;
  readonly restartPolicy: RestartPolicy;
  readonly memoryLimitMb: number;
  readonly rssMb: number | null;
  /** Environment added by the last "restart with env". */
  readonly extraEnv: Readonly<Record<string, string>>;
  /** False after a stop: the supervisor will not restart it. */
  readonly isWanted: boolean;
}

/** A breaker's last known state, from the api instances' transitions. */
export interface BreakerStatus {
  readonly service: string;
  readonly name: string;
  readonly state: 'CLOSED' | 'OPEN' | 'HALF_OPEN';
  readonly failureRate: number;
  readonly since: number;
}

/** One toxic on one proxy. */
export interface ToxicStatus {
  readonly name: string;
  readonly type: string;
  readonly stream: string;
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** One fault-proxy link. */
export interface ProxyStatus {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly ToxicStatus[];
}

/** One second of the load generator, as a user would see it. */
export interface LoadSample {
  /** Wall-clock ms at the end of the second. */
  readonly ts: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Answers received in this second. */
  readonly rps: number;
  /** Requests sent in this second (the open model keeps this at the target). */
  readonly sent: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly inFlight: number;
  /** The target rate during this second. */
  readonly targetRate: number;
  readonly statuses: Readonly<Record<string, number>>;
}

/** The load generator's state. */
export interface LoadStatus {
  readonly isRunning: boolean;
  readonly url: string;
  readonly startedAt: number;
  readonly sent: number;
  readonly completed: number;
  readonly errors: number;
  /** Latency percentiles in ms over the whole run so far. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly last: LoadSample | null;
}

/** Everything `GET /status` returns. */
export interface LabStatus {
  readonly pid: number;
  readonly startedAt: string;
  readonly isReady: boolean;
  readonly services: readonly ServiceStatus[];
  readonly proxies: readonly ProxyStatus[];
  readonly breakers: readonly BreakerStatus[];
  readonly load: LoadStatus | null;
  readonly proxyApi: string;
}

/** One event of the stream at GET /events (one JSON object per `data:` line). */
export type LabEvent =
  | { readonly type: 'log'; readonly ts: number; readonly service: string; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'status'; readonly ts: number; readonly service: ServiceStatus }
  | { readonly type: 'latency'; readonly ts: number; readonly sample: LoadSample }
  | { readonly type: 'breaker'; readonly ts: number; readonly service: string; readonly name: string; readonly from: string; readonly to: string; readonly failureRate: number }
  | { readonly type: 'upstream'; readonly ts: number; readonly service: string; readonly name: string; readonly isHealthy: boolean; readonly reason: string }
  | { readonly type: 'load'; readonly ts: number; readonly state: 'started' | 'finished' | 'stopped'; readonly status: LoadStatus }
  | { readonly type: 'lab'; readonly ts: number; readonly state: 'ready' | 'stopping' };

/** POST /services/:name/kill */
export const KillRequestSchema = z.object({ signal: z.string().regex(/^SIG[A-Z0-9]+$/).default('SIGKILL') });
/** POST /services/:name/restart: `env` replaces the extra environment; omitted keeps it. */
export const RestartRequestSchema = z.object({ env: z.record(z.string(), z.string()).optional() });
/** PUT /services/:name/chaos */
export const ChaosRequestSchema = z.object({ enabled: z.boolean().optional(), latencyMs: z.number().nonnegative().optional(), errorRate: z.number().min(0).max(1).optional() });
/** PUT /services/:name/cpu */
export const CpuRequestSchema = z.object({ percent: z.number().min(0).max(100), durationMs: z.number().nonnegative().optional() });
/** PUT /services/:name/memory */
export const MemoryRequestSchema = z.object({ mb: z.number().nonnegative(), growMbPerSecond: z.number().positive().optional() });
/** PUT /services/:name/limits: a new memory limit applies at once to the watch, and to the heap at the next start. */
export const LimitsRequestSchema = z.object({ memoryMb: z.number().int().min(32).optional(), restartPolicy: z.enum(['always', 'on-failure', 'never']).optional() });
/** POST /load: a constant `rate`, or `ramp` stages held in turn. */
export const LoadRequestSchema = z.object({
  rate: z.number().positive().optional(),
  ramp: z.array(z.object({ rate: z.number().positive(), durationMs: z.number().positive() })).min(1).optional(),
  /** Stops by itself after this; runs until stopped when absent (a ramp stops after its last stage). */
  durationMs: z.number().positive().optional(),
  path: z.string().startsWith('/').default('/api/products'),
  method: z.string().default('GET'),
  /** The service the load goes to (edge by default: the front door). */
  service: z.string().default('edge'),
  timeoutMs: z.number().positive().default(5000),
}).refine((r) => r.rate !== undefined || r.ramp !== undefined, 'give a rate or a ramp');
export type LoadRequest = z.infer<typeof LoadRequestSchema>;
export type LoadRequestInput = z.input<typeof LoadRequestSchema>;
