import type { ViewState } from '../../engine/view-state';
import { useNow } from './use-now';
import { useRun } from './use-run';
import { useViewState } from './use-view-state';

const selectStartedAt = (s: ViewState) => s.run?.startedAt ?? null;
const selectT = (s: ViewState) => s.t;

/**
 * The run's current time in ms since it started (the unit events use). Live:
 * from the wall clock, ticking every second. Replay: the latest event's time,
 * so seeking moves it and pausing stops it.
 */
export function useRunTime(): number {
  const { mode } = useRun();
  const isEventClock = mode?.clock === 'events';
  const now = useNow(!isEventClock);
  const startedAt = useViewState(selectStartedAt);
  const latest = useViewState(selectT);
  if (isEventClock || !startedAt) return latest;
  return Math.max(latest, now - Date.parse(startedAt));
}
