import type { ViewStore } from '../engine/store';
import type { ViewState } from '../engine/view-state';

// What a terminal follower's deck reads: the live state from the stream, with
// two local touches. A student may look back at a past step (the notes and
// the header show that step; the presenter's own position stays marked in
// the steps list) and return to live; and the connection's trouble or the
// browsing hint appears as the footer's status line. The live store is never
// changed; the view is derived, and the same object is returned until one of
// its inputs changes, as useSyncExternalStore requires.

/** A follower's local view over a live store. */
export interface BrowseStore extends ViewStore {
  /** The step shown instead of the presenter's, or null when following live. */
  pinnedStep(): number | null;
  /** Shows step `index` (clamped); reaching the presenter's current step returns to live. */
  pin(index: number | null): void;
  /** A line for the footer (connection trouble), or null. */
  setStatus(text: string | null): void;
}

/** Wraps `live`; dispatch, reset and flush go to it. */
export function createBrowseStore(live: ViewStore): BrowseStore {
  const listeners = new Set<() => void>();
  let pinned: number | null = null;
  let status: string | null = null;
  let cache: { source: ViewState; pinned: number | null; status: string | null; view: ViewState } | null = null;

  const derive = (source: ViewState): ViewState => {
    let view = source;
    if (pinned !== null && pinned !== source.currentStep) {
      view = { ...view, currentStep: pinned, phase: source.run?.scenario.steps[pinned]?.phase ?? view.phase };
    }
    const hint = pinned !== null ? `viewing step ${pinned + 1} of ${source.steps.length} (presenter at ${source.currentStep + 1}) · space: back to live` : null;
    const line = [status, hint].filter(Boolean).join(' · ');
    // The footer shows the newest warning whose time is recent; this one is local and current until cleared.
    if (line) view = { ...view, notices: [...view.notices, { t: Number.MAX_SAFE_INTEGER, level: 'warn', text: line }] };
    return view;
  };
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };

  return {
    getSnapshot() {
      const source = live.getSnapshot();
      if (!cache || cache.source !== source || cache.pinned !== pinned || cache.status !== status) {
        cache = { source, pinned, status, view: derive(source) };
      }
      return cache.view;
    },
    subscribe(listener) {
      listeners.add(listener);
      const unsubscribe = live.subscribe(listener);
      return () => {
        listeners.delete(listener);
        unsubscribe();
      };
    },
    dispatch: (event) => live.dispatch(event),
    reset: (state) => live.reset(state),
    flush: () => live.flush(),
    pinnedStep: () => pinned,
    pin(index) {
      const state = live.getSnapshot();
      const last = state.steps.length - 1;
      const next = index === null || last < 0 ? null : Math.max(0, Math.min(last, index));
      pinned = next === state.currentStep ? null : next;
      notify();
    },
    setStatus(text) {
      if (text === status) return;
      status = text;
      notify();
    },
  };
}
