import { describe, expect, it } from 'vitest';
import { backoffMs, type RetryConfig } from '../../src/lab/resilience/retry';

// backendRetry's waits: 100 ms doubling per attempt, capped, with ±50 % jitter
// drawn from `random` (0 → the low end, 1 → the high end).

const config: RetryConfig = { name: 'backendRetry', maxAttempts: 3, initialIntervalMs: 100, multiplier: 2, randomizationFactor: 0.5, maxIntervalMs: 1_000 };

describe('exponential backoff with jitter', () => {
  it.each([
    [2, 0.5, 100], [3, 0.5, 200], [4, 0.5, 400], [5, 0.5, 800], [6, 0.5, 1_000],
    [2, 0, 50], [2, 1, 150], [3, 0, 100], [3, 1, 300], [6, 1, 1_500],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffMs(config, attempt, () => random)).toBe(expected);
  });
});
