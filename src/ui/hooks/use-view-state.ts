import { useCallback, useSyncExternalStore } from 'react';
import type { ViewState } from '../../engine/view-state';
import { useRun } from './use-run';

/**
 * A slice of the run's view state. The reducer keeps untouched slices
 * identical between events, so a pane re-renders only when its slice changed.
 * `select` must return a part of the state (or a primitive), not a new object.
 */
export function useViewState<T>(select: (state: ViewState) => T): T {
  const { store } = useRun();
  const getSnapshot = useCallback(() => select(store.getSnapshot()), [store, select]);
  return useSyncExternalStore(store.subscribe, getSnapshot, getSnapshot);
}
