import type { DeckEvent } from './events';
import { reduce } from './reducer';
import { initialViewState, type ViewState } from './view-state';

// The view state behind the deck. Events fold in as they come; subscribers
// (React through useSyncExternalStore) hear about it at most every `frameMs`,
// so a log flood costs ~20 commits a second, and a presenter's key press
// (a step change, a halt) is heard on the next turn of the loop.

/** Events a presenter is waiting to see; they skip the throttle. */
const URGENT: ReadonlySet<DeckEvent['type']> = new Set(['run.started', 'step.entered', 'halted', 'run.finished', 'verdict', 'action.started', 'command.started']);

/** A subscribable view state. */
export interface ViewStore {
  getSnapshot(): ViewState;
  subscribe(listener: () => void): () => void;
  dispatch(event: DeckEvent): void;
  /** Replaces the state (replay seeks, follower snapshots). */
  reset(state?: ViewState): void;
  /** Notifies now if anything is pending. */
  flush(): void;
}

/** Creates a store; `frameMs` bounds how often subscribers are notified (default 50 ms). */
export function createViewStore({ frameMs = 50, initial = initialViewState }: { frameMs?: number; initial?: ViewState } = {}): ViewStore {
  let state = initial;
  let published = state;
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let lastNotify = 0;

  const notify = () => {
    timer = undefined;
    if (published === state) return;
    published = state;
    lastNotify = performance.now();
    for (const listener of listeners) listener();
  };
  const schedule = (isUrgent: boolean) => {
    if (isUrgent) {
      if (timer) clearTimeout(timer as NodeJS.Timeout);
      timer = setImmediate(notify);
      return;
    }
    if (timer) return;
    const wait = Math.max(0, frameMs - (performance.now() - lastNotify));
    timer = setTimeout(notify, wait);
  };

  return {
    getSnapshot: () => published,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispatch(event) {
      state = reduce(state, event);
      schedule(URGENT.has(event.type));
    },
    reset(next = initialViewState) {
      state = next;
      schedule(true);
    },
    flush() {
      if (timer) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
      }
      notify();
    },
  };
}
