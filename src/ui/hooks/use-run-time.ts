import { useContext, useSyncExternalStore } from 'react';
import type { ViewState } from '../../engine/view-state';
import { TickerContext } from './use-now';
import { useRun } from './use-run';
import { useViewState } from './use-view-state';

const selectStartedAt = (s: ViewState) => s.run?.startedAt ?? null;
const selectT = (s: ViewState) => s.t;
const never = () => () => {};

/** What a pane shows that depends on time, as one comparable value (`'12s|3m'`). */
export type TimeKey = string | number | boolean;

/**
 * The run's current time in ms since it started (the unit events use), and a
 * re-render only when `key(runTime)` changes. Live: from the wall clock, which
 * ticks every second; a pane whose text reads `3m` keys on that text and is
 * not redrawn for the 59 ticks in between (an idle deck must not draw a frame
 * a second for nothing). Replay: the latest event's time, so seeking moves it
 * and pausing stops it.
 */
export function useRunTimeWhen(key: (runTime: number) => TimeKey): number {
  const { mode } = useRun();
  const ticker = useContext(TickerContext);
  const isEventClock = mode?.clock === 'events';
  const startedAt = useViewState(selectStartedAt);
  const latest = useViewState(selectT);
  const read = () => (isEventClock || !startedAt ? latest : Math.max(latest, ticker.now() - Date.parse(startedAt)));
  const snapshot = () => key(read());
  useSyncExternalStore(isEventClock ? never : ticker.subscribe, snapshot, snapshot);
  return read();
}

const everyTick = (runTime: number) => runTime;

/** The run's current time, re-rendering on every tick (see useRunTimeWhen for panes that show less). */
export function useRunTime(): number {
  return useRunTimeWhen(everyTick);
}
