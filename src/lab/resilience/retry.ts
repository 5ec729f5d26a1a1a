import type { Logger } from '../logger';

// Retry with exponential backoff and jitter, named and logged like
// resilience4j's Retry ("Retry 'backendRetry' - Attempt #2 ..."), so the room
// can watch the waits grow: 100 ms, 200 ms, 400 ms, each randomized.

/** Tunables, named after resilience4j's (IntervalFunction.ofExponentialRandomBackoff). */
export interface RetryConfig {
  readonly name: string;
  /** Attempts in total, the first call included. */
  readonly maxAttempts: number;
  readonly initialIntervalMs: number;
  readonly multiplier: number;
  /** Each wait is drawn from [w·(1−f), w·(1+f)]. */
  readonly randomizationFactor: number;
  readonly maxIntervalMs: number;
}

/** Outcome counts in resilience4j's kinds, for metrics. */
export interface RetryCounts {
  successful_without_retry: number;
  successful_with_retry: number;
  failed_without_retry: number;
  failed_with_retry: number;
}

/** The wait before attempt `attempt` (2 for the first retry), with jitter from `random`. */
export function backoffMs(config: RetryConfig, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(config.initialIntervalMs * config.multiplier ** (attempt - 2), config.maxIntervalMs);
  const delta = base * config.randomizationFactor;
  return Math.max(0, Math.round(base - delta + random() * 2 * delta));
}

/** A named retry; `execute` runs a call up to maxAttempts times. */
export class Retry {
  readonly config: RetryConfig;
  readonly counts: RetryCounts = { successful_without_retry: 0, successful_with_retry: 0, failed_without_retry: 0, failed_with_retry: 0 };
  /** Every attempt made, first calls included. */
  attempts = 0;
  private readonly logger: Logger;

  constructor(config: RetryConfig, logger: Logger) {
    this.config = config;
    this.logger = logger;
  }

  /**
   * Runs `call`; on an error that `isRetryable` accepts, waits the backoff and
   * tries again, up to maxAttempts. Rejects with the last error.
   */
  async execute<T>(call: (attempt: number) => Promise<T>, isRetryable: (error: unknown) => boolean = () => true): Promise<T> {
    const { name, maxAttempts } = this.config;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (attempt > 1) {
        const wait = backoffMs(this.config, attempt);
        this.logger.sampled(`${name}-attempt`, 'warn', `Retry '${name}' - Attempt #${attempt}, waiting ${wait} ms (exponential backoff with jitter). Last attempt failed with exception '${messageOf(lastError)}'`, 20);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      this.attempts += 1;
      try {
        const result = await call(attempt);
        if (attempt === 1) this.counts.successful_without_retry += 1;
        else {
          this.counts.successful_with_retry += 1;
          this.logger.sampled(`${name}-success`, 'info', `Retry '${name}' recorded a successful retry attempt. Number of retry attempts: '${attempt - 1}'`);
        }
        return result;
      } catch (error) {
        lastError = error;
        if (!isRetryable(error)) {
          if (attempt === 1) this.counts.failed_without_retry += 1;
          else this.counts.failed_with_retry += 1;
          throw error;
        }
      }
    }
    this.counts.failed_with_retry += 1;
    this.logger.sampled(`${name}-gave-up`, 'error', `Retry '${name}' recorded a failed retry attempt. Number of retry attempts: '${maxAttempts}'. Giving up. Last exception was: '${messageOf(lastError)}'`);
    throw lastError;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
