import { prom, type ServiceMetrics } from '../metrics';
import { BREAKER_STATES, type CircuitBreaker } from '../resilience/circuit-breaker';
import type { Retry } from '../resilience/retry';
import type { PoolStats } from './api-clients';

// The api's Prometheus metrics. Breaker and retry metrics follow
// resilience4j's Micrometer names so a Grafana dashboard made for a Spring
// service reads the lab unchanged.

/** Counters the api increments as requests happen. */
export interface ApiCounters {
  readonly cache: prom.Counter<'result'>;
  readonly fallbacks: prom.Counter<'dependency'>;
  readonly telemetryFailures: prom.Counter;
  readonly dbErrors: prom.Counter<'reason'>;
}

/** Registers the api's metrics; gauges read live values when scraped. */
export function registerApiMetrics(
  metrics: ServiceMetrics,
  sources: { breakers: readonly CircuitBreaker[]; retries: readonly Retry[]; pool: () => PoolStats; hitRatio: () => number },
): ApiCounters {
  const registers = [metrics.registry];
  new prom.Gauge({
    name: 'resilience4j_circuitbreaker_state',
    help: 'The states of the circuit breaker: 1 for the current state, 0 for the others.',
    labelNames: ['name', 'state'] as const,
    registers,
    collect() {
      for (const breaker of sources.breakers) {
        for (const state of BREAKER_STATES) this.set({ name: breaker.config.name, state: state.toLowerCase() }, breaker.state === state ? 1 : 0);
      }
    },
  });
  new prom.Gauge({
    name: 'resilience4j_circuitbreaker_failure_rate',
    help: 'The failure rate of the circuit breaker in percent, -1 below the minimum number of calls.',
    labelNames: ['name'] as const,
    registers,
    collect() {
      for (const breaker of sources.breakers) this.set({ name: breaker.config.name }, breaker.failureRate);
    },
  });
  new prom.Counter({
    name: 'resilience4j_circuitbreaker_calls_total',
    help: 'Calls seen by the circuit breaker, by kind (successful, failed, not_permitted).',
    labelNames: ['name', 'kind'] as const,
    registers,
    collect() {
      this.reset();
      for (const breaker of sources.breakers) {
        const { successful, failed, notPermitted } = breaker.counts;
        this.inc({ name: breaker.config.name, kind: 'successful' }, successful);
        this.inc({ name: breaker.config.name, kind: 'failed' }, failed);
        this.inc({ name: breaker.config.name, kind: 'not_permitted' }, notPermitted);
      }
    },
  });
  new prom.Counter({
    name: 'resilience4j_retry_calls_total',
    help: 'Calls through the retry, by kind (successful_without_retry, successful_with_retry, failed_without_retry, failed_with_retry).',
    labelNames: ['name', 'kind'] as const,
    registers,
    collect() {
      this.reset();
      for (const retry of sources.retries) for (const [kind, value] of Object.entries(retry.counts)) this.inc({ name: retry.config.name, kind }, value);
    },
  });
  new prom.Counter({
    name: 'resilience4j_retry_attempts_total',
    help: 'Attempts made through the retry, first calls included.',
    labelNames: ['name'] as const,
    registers,
    collect() {
      this.reset();
      for (const retry of sources.retries) this.inc({ name: retry.config.name }, retry.attempts);
    },
  });
  new prom.Gauge({
    name: 'shop_db_pool_connections',
    help: 'Connections of the db pool, by state (in_use, idle, max, waiting for one).',
    labelNames: ['state'] as const,
    registers,
    collect() {
      const stats = sources.pool();
      this.set({ state: 'in_use' }, stats.inUse);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'max' }, stats.size);
      this.set({ state: 'pending' }, stats.waiting);
    },
  });
  new prom.Gauge({
    name: 'shop_cache_hit_ratio',
    help: 'Cache hits over cache reads in the last 10 seconds (0 when nothing was read).',
    registers,
    collect() {
      this.set(sources.hitRatio());
    },
  });
  return {
    cache: new prom.Counter({ name: 'shop_cache_requests_total', help: 'Cache reads by result (hit, miss, error).', labelNames: ['result'] as const, registers }),
    fallbacks: new prom.Counter({ name: 'shop_fallback_responses_total', help: 'Answers served from a fallback, by dependency.', labelNames: ['dependency'] as const, registers }),
    telemetryFailures: new prom.Counter({ name: 'shop_telemetry_export_failures_total', help: 'Telemetry batches the collector did not take.', registers }),
    dbErrors: new prom.Counter({ name: 'shop_db_errors_total', help: 'Database calls that failed, by reason.', labelNames: ['reason'] as const, registers }),
  };
}

/** A hit ratio over a sliding window of one-second buckets. */
export function createRatioWindow(seconds = 10): { hit(): void; miss(): void; ratio(): number } {
  const buckets = new Map<number, { hits: number; misses: number }>();
  const bucket = () => {
    const second = Math.floor(Date.now() / 1000);
    let current = buckets.get(second);
    if (!current) {
      current = { hits: 0, misses: 0 };
      buckets.set(second, current);
      for (const key of buckets.keys()) if (key <= second - seconds) buckets.delete(key);
    }
    return current;
  };
  return {
    hit: () => void (bucket().hits += 1),
    miss: () => void (bucket().misses += 1),
    ratio() {
      const since = Math.floor(Date.now() / 1000) - seconds;
      let hits = 0;
      let total = 0;
      for (const [second, b] of buckets) {
        if (second <= since) continue;
        hits += b.hits;
        total += b.hits + b.misses;
      }
      return total === 0 ? 0 : hits / total;
    },
  };
}
