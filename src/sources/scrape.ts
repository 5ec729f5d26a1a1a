import { httpCall } from '../drivers/http-request';
import { parsePrometheusText, type PromExposition } from './prometheus-text';

// Reads a /metrics page directly (no Prometheus server needed), as the lab's
// services and any Spring Boot actuator/prometheus endpoint expose one.

/** Fetches and parses a text exposition; a non-200 answer is an error. */
export async function scrapeMetrics(url: string, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<PromExposition> {
  const result = await httpCall({ url, timeoutMs: options.timeoutMs ?? 5_000, signal: options.signal, headers: { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1' } });
  if (result.status !== 200) throw new Error(`scrape ${url}: HTTP ${result.status}`);
  return parsePrometheusText(typeof result.body === 'string' ? result.body : JSON.stringify(result.body));
}
