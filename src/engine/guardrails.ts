import { durationMs } from '../scenario/duration';
import type { StopCondition } from '../scenario/schema';
import type { Measurements } from './measures';
import { withinTolerance } from './tolerance';

// Stop conditions: when a measure stays in its bad range for long enough, the
// run halts and restores by itself. Checked four times a second.

/** Starts watching; `onTrip` is called once, with the condition that held. Returns a stop function. */
export function watchStopConditions(
  conditions: readonly StopCondition[],
  measurements: Measurements,
  now: () => number,
  onTrip: (condition: StopCondition, reason: string) => void,
): () => void {
  if (conditions.length === 0) return () => undefined;
  const since = new Map<string, number>();
  const timer = setInterval(() => {
    for (const condition of conditions) {
      const values = measurements.values(condition.measure, 'run');
      const value = values[values.length - 1];
      if (value === undefined || !withinTolerance(condition.when, value)) {
        since.delete(condition.name);
        continue;
      }
      const start = since.get(condition.name) ?? now();
      since.set(condition.name, start);
      if (now() - start >= durationMs(condition.for)) {
        clearInterval(timer);
        onTrip(condition, `stop condition '${condition.name}' held for ${durationMs(condition.for) / 1000} s`);
        return;
      }
    }
  }, 250);
  timer.unref();
  return () => clearInterval(timer);
}
