import { z } from 'zod';
import type { UnstampedEvent } from '../engine/events';
import { findLab, resolveServices, type LabClient, type LabEvent, type ServiceStatus } from '../lab/client';
import type { SourceSpec } from '../scenario/environment';
import { createLineBatcher } from '../sources/batch';
import { parsePrometheusText } from '../sources/prometheus-text';
import { sourceIdOf } from '../sources/source-id';
import { parseConfig } from './action-support';
import type { Source, SourceContext } from './driver';
import { LabConfigSchema } from './lab-config';

// The lab's live feeds, from its control API's event stream and its services'
// metrics: logs, status, the load generator's latency, breakers, metrics.

const LabSourceSchema = z.looseObject({
  service: z.string().optional(),
  /** For `metrics`: the metric names to report (defaults to the shop's key gauges). */
  metrics: z.array(z.string()).optional(),
  /** Seconds between metric scrapes. */
  interval: z.number().positive().optional(),
  /** For `breakers`: one breaker per instance (`api-1/backendCB`) instead of one per name. */
  perInstance: z.boolean().optional(),
});

const DEFAULT_METRICS = ['shop_cache_hit_ratio', 'shop_db_pool_connections', 'resilience4j_circuitbreaker_failure_rate', 'edge_upstream_healthy', 'process_resident_memory_bytes'];
const BREAKER_RANK = { CLOSED: 0, HALF_OPEN: 1, OPEN: 2 } as const;

/** Opens a lab source: logs, status, latency (the load generator), breakers or metrics. */
export function openLabSource(spec: SourceSpec, context: SourceContext): Source | null {
  if (!['logs', 'status', 'latency', 'breakers', 'metrics'].includes(spec.kind)) return null;
  const fields = LabSourceSchema.parse(spec);
  const config = parseConfig(LabConfigSchema, context.config, 'lab');
  const stateDir = config.stateDir;
  const id = sourceIdOf(spec);
  const targetBinding = spec.target ? context.environment.targets[spec.target] : context.binding;
  const serviceName = fields.service ?? (typeof targetBinding?.service === 'string' ? targetBinding.service : undefined);
  const only = serviceName ? new Set<string>(resolveServices(serviceName)) : null;
  const wanted = (service: string) => !only || only.has(service);
  const emit = (event: UnstampedEvent) => {
    if (!context.signal.aborted) context.emit(event);
  };
  const batcher = createLineBatcher({ onFlush: (lines, dropped) => emit({ type: 'log.lines', source: id, lines, dropped }) });
  const statuses = new Map<string, ServiceStatus>();
  const breakers = new Map<string, { service: string; name: string; state: keyof typeof BREAKER_RANK; failureRate: number }>();
  const shown = new Map<string, string>();
  const isSingle = only?.size === 1;

  const emitBreakers = () => {
    const groups = new Map<string, { state: keyof typeof BREAKER_RANK; failureRate: number }>();
    for (const b of breakers.values()) {
      const key = fields.perInstance ? `${b.service}/${b.name}` : b.name;
      const current = groups.get(key);
      if (!current || BREAKER_RANK[b.state] > BREAKER_RANK[current.state]) groups.set(key, { state: b.state, failureRate: Math.max(b.failureRate, current?.failureRate ?? -1) });
    }
    for (const [name, b] of groups) {
      if (shown.get(name) === b.state) continue;
      shown.set(name, b.state);
      emit({ type: 'breaker', source: id, name, state: b.state, ...(b.failureRate >= 0 ? { failureRate: b.failureRate } : {}) });
    }
  };

  const onEvent = (event: LabEvent) => {
    switch (event.type) {
      case 'log':
        if (spec.kind === 'logs' && wanted(event.service)) batcher.push(isSingle ? event.text : `[${event.service}] ${event.text}`, event.ts);
        break;
      case 'status':
        if (spec.kind === 'status' && wanted(event.service.name)) {
          statuses.set(event.service.name, event.service);
          emit({ type: 'status', source: id, targets: [...statuses.values()].map(targetOf) });
        }
        break;
      case 'latency':
        if (spec.kind === 'latency') emit({ type: 'latency', source: id, p50: event.sample.p50, p95: event.sample.p95, p99: event.sample.p99, rps: event.sample.rps, errorRate: event.sample.errorRate });
        break;
      case 'breaker':
        if (spec.kind === 'breakers' && wanted(event.service)) {
          breakers.set(`${event.service}/${event.name}`, { service: event.service, name: event.name, state: event.to as keyof typeof BREAKER_RANK, failureRate: event.failureRate });
          emitBreakers();
        }
        break;
      default:
        break;
    }
  };

  let close: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let hasWarned = false;
  let isStopped = false;
  // The lab may start after the source opens (an action starts it) or restart: keep looking.
  const connect = async () => {
    if (isStopped) return;
    const lab = await findLab({ ...(stateDir ? { stateDir } : {}) }).catch(() => null);
    if (isStopped) return;
    if (!lab) {
      if (!hasWarned) emit({ type: 'notice', level: 'info', text: `${id}: waiting for the lab (chaosdeck lab up)` });
      hasWarned = true;
      timer = setTimeout(() => void connect(), 1000);
      return;
    }
    if (spec.kind === 'metrics') {
      void scrape(lab);
      return;
    }
    close = lab.subscribe(onEvent, { onEnd: () => {
      if (!isStopped) timer = setTimeout(() => void connect(), 1000);
    } });
  };

  const scrape = async (lab: LabClient) => {
    const names = new Set(fields.metrics ?? DEFAULT_METRICS);
    const services = only ? [...only] : ['api-1', 'api-2', 'edge', 'cache', 'db'];
    for (const service of services) {
      try {
        const exposition = parsePrometheusText(await lab.metricsText(service));
        for (const sample of exposition.samples) {
          if (names.has(sample.name)) emit({ type: 'metric', source: id, name: sample.name, value: sample.value, labels: { ...sample.labels, service } });
        }
      } catch {
        // A stopped service has no metrics; the status pane says why.
      }
    }
    if (!isStopped) timer = setTimeout(() => void connect(), (fields.interval ?? 2) * 1000);
  };

  void connect();
  return {
    id,
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      close?.();
      batcher.close();
    },
  };
}

function targetOf(status: ServiceStatus): { name: string; state: string; isReady: boolean; restarts: number; since: number; detail?: string } {
  const detail = [
    status.pid ? `pid ${status.pid}` : null,
    status.lastExit ? `last exit ${status.lastExit.reason}${status.lastExit.code !== null ? ` (${status.lastExit.code})` : ''}` : null,
    status.rssMb !== null ? `${status.rssMb}/${status.memoryLimitMb} MB` : null,
    Object.keys(status.extraEnv).length ? Object.entries(status.extraEnv).map(([k, v]) => `${k}=${v}`).join(' ') : null,
  ].filter(Boolean).join(', ');
  return { name: status.name, state: status.state, isReady: status.health === 'healthy' && status.state === 'running', restarts: status.restarts, since: status.since, ...(detail ? { detail } : {}) };
}

/**
 * Starts the lab before a run when it is not running (and autoStart allows),
 * so the panes fill from the first step; `release` stops only a lab this call
 * started, so quitting the deck leaves a lab someone else brought up running.
 */
