import type { BreakerState } from '../engine/events';
import type { UnstampedEvent } from '../engine/events';
import { selectSamples, type PromExposition } from './prometheus-text';

// resilience4j reports its circuit breakers and retries two ways: Micrometer
// metrics (`resilience4j_circuitbreaker_state{name,state}` is 1 for the current
// state) and event log lines ("CircuitBreaker 'backendCB' changed state from
// CLOSED to OPEN"). Either feeds the Breakers pane, so a Kubernetes service
// whose metrics are not scraped still shows its breaker from its logs.

const STATES: Readonly<Record<string, BreakerState>> = {
  closed: 'CLOSED',
  open: 'OPEN',
  half_open: 'HALF_OPEN',
  disabled: 'DISABLED',
  forced_open: 'FORCED_OPEN',
  metrics_only: 'CLOSED',
};

/** A breaker's state as reported by its metrics. */
export interface BreakerReading {
  readonly name: string;
  readonly state: BreakerState;
  /** Failure rate in percent, or undefined when the breaker has not seen enough calls (-1 in resilience4j). */
  readonly failureRate?: number;
}

/** Reads every circuit breaker's current state (and failure rate) from a scraped exposition. */
export function readBreakers(exposition: PromExposition): BreakerReading[] {
  const byName = new Map<string, BreakerReading>();
  for (const sample of selectSamples(exposition, 'resilience4j_circuitbreaker_state')) {
    const name = sample.labels.name;
    const state = STATES[(sample.labels.state ?? '').toLowerCase()];
    if (!name || !state || sample.value !== 1) continue;
    byName.set(name, { name, state });
  }
  for (const sample of selectSamples(exposition, 'resilience4j_circuitbreaker_failure_rate')) {
    const name = sample.labels.name;
    const reading = name ? byName.get(name) : undefined;
    if (reading && sample.value >= 0) byName.set(reading.name, { ...reading, failureRate: sample.value });
  }
  return [...byName.values()];
}

/** Retry counters per retry name and outcome kind (`successful_with_retry`, `failed_with_retry`, …). */
export function readRetries(exposition: PromExposition): { name: string; kind: string; value: number }[] {
  const names = ['resilience4j_retry_calls_total', 'resilience4j_retry_calls'];
  return exposition.samples
    .filter((s) => names.includes(s.name) && s.labels.name && s.labels.kind)
    .map((s) => ({ name: s.labels.name ?? '', kind: s.labels.kind ?? '', value: s.value }));
}

/** The events one log line means: a breaker transition or a retry attempt; empty for any other line. */
export function parseResilienceLogLine(line: string, source: string): UnstampedEvent[] {
  const transition = /CircuitBreaker '([^']+)' changed state(?: from|:)?\s*([A-Z_]+)\s*(?:to|->)\s*([A-Z_]+)/.exec(line);
  if (transition?.[1] && transition[3]) {
    const state = STATES[transition[3].toLowerCase()];
    return state ? [{ type: 'breaker', source, name: transition[1], state }] : [];
  }
  const retry = /Retry '([^']+)'(?:,\s*waiting \S+ until attempt '(\d+)'| - Attempt #(\d+))/.exec(line);
  if (retry?.[1]) {
    const attempt = Number(retry[2] ?? retry[3]);
    return [{ type: 'metric', source, name: 'retry_attempt', value: attempt, labels: { name: retry[1] } }];
  }
  return [];
}

/** Events for a scraped exposition: one breaker event per breaker and one metric per retry counter. */
export function resilienceEvents(exposition: PromExposition, source: string): UnstampedEvent[] {
  const events: UnstampedEvent[] = readBreakers(exposition).map((b) => ({
    type: 'breaker' as const,
    source,
    name: b.name,
    state: b.state,
    ...(b.failureRate === undefined ? {} : { failureRate: b.failureRate }),
  }));
  for (const retry of readRetries(exposition)) {
    events.push({ type: 'metric', source, name: 'resilience4j_retry_calls', value: retry.value, labels: { name: retry.name, kind: retry.kind } });
  }
  return events;
}
