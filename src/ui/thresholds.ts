import type { Scenario, Tolerance } from '../scenario/schema';

// The latency pane draws the scenario's own limit, so the room sees the line
// the hypothesis promised to stay under.

function upperBound(tolerance: Tolerance): number | undefined {
  return tolerance.lt ?? tolerance.lte ?? tolerance.range?.[1];
}

/** The upper bound the scenario's success criteria put on a measure (`p95`, `errorRate`), if any. */
export function thresholdOf(scenario: Scenario | undefined, measure: string): number | undefined {
  for (const criterion of scenario?.criteria ?? []) {
    if (criterion.measure !== measure) continue;
    const bound = upperBound(criterion.tolerance);
    if (bound !== undefined) return bound;
  }
  return undefined;
}
