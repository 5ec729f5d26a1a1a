import type { Logger } from '../logger';

// A circuit breaker with resilience4j's semantics and wording: a count-based
// sliding window, a failure-rate threshold, a wait in OPEN, a number of trial
// calls in HALF_OPEN. The presenter points at the log line
// "CircuitBreaker 'backendCB' changed state from CLOSED to OPEN", so it reads
// exactly like resilience4j's event.

/** The breaker's states, as resilience4j names them. */
export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';
export const BREAKER_STATES: readonly BreakerState[] = ['CLOSED', 'OPEN', 'HALF_OPEN'];

/** Tunables, named after resilience4j's configuration properties. */
export interface CircuitBreakerConfig {
  readonly name: string;
  /** Percentage of failed calls in the window at or above which the breaker opens. */
  readonly failureRateThreshold: number;
  /** Number of most recent calls the failure rate is computed over. */
  readonly slidingWindowSize: number;
  /** Calls needed in the window before the rate counts. */
  readonly minimumNumberOfCalls: number;
  readonly waitDurationInOpenStateMs: number;
  readonly permittedNumberOfCallsInHalfOpenState: number;
}

/** A state change, for metrics, IPC events and tests. */
export interface BreakerTransition {
  readonly name: string;
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly failureRate: number;
}

/** Thrown when the breaker refuses a call, with resilience4j's message. */
export class CallNotPermittedError extends Error {
  readonly code = 'CALL_NOT_PERMITTED';
  constructor(name: string, state: BreakerState) {
    super(`CircuitBreaker '${name}' is ${state} and does not permit further calls`);
    this.name = 'CallNotPermittedException';
  }
}

/** A circuit breaker; `execute` wraps a call, or use `tryAcquire` and `record*` directly. */
export class CircuitBreaker {
  readonly config: CircuitBreakerConfig;
  private currentState: BreakerState = 'CLOSED';
  private window: boolean[] = [];
  private halfOpenPermits = 0;
  private halfOpenResults: boolean[] = [];
  private openTimer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(transition: BreakerTransition) => void>();
  private readonly logger: Logger;
  /** Calls by outcome since start, for metrics. */
  readonly counts = { successful: 0, failed: 0, notPermitted: 0 };

  constructor(config: CircuitBreakerConfig, logger: Logger) {
    this.config = config;
    this.logger = logger;
  }

  get state(): BreakerState {
    return this.currentState;
  }

  /** Failure rate in percent over the current window, or -1 below the minimum number of calls (resilience4j's convention). */
  get failureRate(): number {
    const calls = this.currentState === 'HALF_OPEN' ? this.halfOpenResults : this.window;
    const needed = this.currentState === 'HALF_OPEN' ? 1 : this.config.minimumNumberOfCalls;
    if (calls.length < needed) return -1;
    return (calls.filter((ok) => !ok).length / calls.length) * 100;
  }

  onTransition(listener: (transition: BreakerTransition) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Asks for permission to call; false (and a not-permitted count) when OPEN or out of half-open permits. */
  tryAcquire(): boolean {
    if (this.currentState === 'CLOSED') return true;
    if (this.currentState === 'HALF_OPEN' && this.halfOpenPermits > 0) {
      this.halfOpenPermits -= 1;
      return true;
    }
    this.counts.notPermitted += 1;
    return false;
  }

  recordSuccess(elapsedMs: number): void {
    this.counts.successful += 1;
    this.record(true, elapsedMs, undefined);
  }

  recordError(elapsedMs: number, error: unknown): void {
    this.counts.failed += 1;
    this.record(false, elapsedMs, error);
  }

  /** Runs `call` under the breaker; rejects with CallNotPermittedError when refused. */
  async execute<T>(call: () => Promise<T>): Promise<T> {
    if (!this.tryAcquire()) throw new CallNotPermittedError(this.config.name, this.currentState);
    const started = performance.now();
    try {
      const result = await call();
      this.recordSuccess(performance.now() - started);
      return result;
    } catch (error) {
      this.recordError(performance.now() - started, error);
      throw error;
    }
  }

  /** Stops the wait timer so the process can exit. */
  close(): void {
    if (this.openTimer) clearTimeout(this.openTimer);
  }

  private record(isOk: boolean, elapsedMs: number, error: unknown): void {
    const { name } = this.config;
    if (!isOk) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.sampled(`${name}-error`, 'warn', `CircuitBreaker '${name}' recorded an error: '${message}'. Elapsed time: ${Math.round(elapsedMs)} ms`);
    }
    if (this.currentState === 'HALF_OPEN') {
      this.halfOpenResults.push(isOk);
      if (this.halfOpenResults.length >= this.config.permittedNumberOfCallsInHalfOpenState) {
        const rate = this.failureRate;
        this.transition(rate >= this.config.failureRateThreshold ? 'OPEN' : 'CLOSED', rate);
      }
      return;
    }
    if (this.currentState !== 'CLOSED') return;
    this.window.push(isOk);
    if (this.window.length > this.config.slidingWindowSize) this.window.shift();
    const rate = this.failureRate;
    if (rate >= 0 && rate >= this.config.failureRateThreshold) this.transition('OPEN', rate);
  }

  private transition(to: BreakerState, failureRate: number): void {
    const from = this.currentState;
    if (from === to) return;
    this.currentState = to;
    if (this.openTimer) clearTimeout(this.openTimer);
    this.openTimer = undefined;
    if (to === 'OPEN') {
      // resilience4j's automaticTransitionFromOpenToHalfOpenEnabled: the room sees HALF_OPEN even without traffic.
      this.openTimer = setTimeout(() => this.transition('HALF_OPEN', -1), this.config.waitDurationInOpenStateMs);
      this.openTimer.unref();
    }
    if (to === 'HALF_OPEN') {
      this.halfOpenPermits = this.config.permittedNumberOfCallsInHalfOpenState;
      this.halfOpenResults = [];
    }
    if (to === 'CLOSED') this.window = [];
    this.logger.info(`CircuitBreaker '${this.config.name}' changed state from ${from} to ${to}`);
    const transition = { name: this.config.name, from, to, failureRate };
    for (const listener of this.listeners) listener(transition);
  }
}
