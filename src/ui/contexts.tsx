import { createContext, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { RunController } from '../engine/controller';
import type { ViewStore } from '../engine/store';
import type { LogLineView } from '../engine/view-state';
import type { PaneId } from './keymap';
import { initialUiState, reduceUi, type Dialog, type UiAction, type UiState } from './ui-state';
import type { ShareOverlayInfo } from './panes/ShareOverlay';

// Two small contexts for the deck's own state (gemini-cli's split): one holds
// UI state and changes often; the other holds the actions and never changes,
// so a component that only sends commands does not re-render. A third says
// which run the deck shows and how it may drive it.

/** How the deck is attached to a run; live, replay and follow differ only here. */
export interface DeckMode {
  /** The badge in the header. */
  readonly badge: 'LIVE' | 'DRY-RUN' | 'REHEARSE' | 'REPLAY' | 'FOLLOW';
  readonly role: 'live' | 'dryRun' | 'rehearse' | 'replay' | 'follow';
  /** No dangerous command (run, restore, halt) is offered or dispatched. */
  readonly isReadOnly: boolean;
  /** `wall`: elapsed time ticks with the wall clock; `events`: it is the time of the latest event (replay). */
  readonly clock: 'wall' | 'events';
  /** A few words after the badge (replay: `▶ ×2`, `paused ×1`). */
  readonly detail?: string;
}

/** The run the deck shows. */
export interface RunBinding {
  readonly store: ViewStore;
  /** Absent for a view that only watches (a follower without control). */
  readonly controller?: RunController;
  /** Overrides the mode derived from the run (replay, follow). */
  readonly mode?: DeckMode;
  /** Hides presenter-only content (talking points) for projecting. */
  readonly isAudience: boolean;
  /** How followers join, when the run is shared (`--share`): shown at the start and on `j`. */
  readonly share?: ShareOverlayInfo | null;
}

export const RunContext = createContext<RunBinding | null>(null);

/** Commands that change UI state. Stable for the deck's lifetime. */
export interface UiActions {
  /** The state as of now, including changes not yet rendered (keys typed in one burst see each other). */
  current(): UiState;
  focus(pane: PaneId): void;
  focusStep(by: 1 | -1): void;
  toggleZoom(): void;
  openDialog(dialog: NonNullable<Dialog>): void;
  closeDialog(): void;
  pauseLogs(anchor: LogLineView | null): void;
  followLogs(): void;
  toggleWrap(): void;
  toggleTimestamps(): void;
  editFilter(): void;
  draftFilter(text: string): void;
  applyFilter(): void;
  cancelFilter(): void;
  clearFilter(): void;
  startQuit(reason: 'quit' | 'interrupt'): void;
}

export const UiStateContext = createContext<UiState | null>(null);
export const UiActionsContext = createContext<UiActions | null>(null);

/**
 * Holds the deck's UI state and provides it with its actions. State lives in
 * a small synchronous store rather than useReducer: a burst of keys (a paste,
 * tmux send-keys) is dispatched before React re-renders, and each key must
 * see the mode the previous one set (`/` then the filter text).
 */
export function UiProvider({ initial = initialUiState, children }: { readonly initial?: UiState; readonly children: ReactNode }) {
  const [store] = useState(() => {
    let state = initial;
    const listeners = new Set<() => void>();
    return {
      get: () => state,
      subscribe(listener: () => void) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      dispatch(action: UiAction) {
        const next = reduceUi(state, action);
        if (next === state) return;
        state = next;
        for (const listener of listeners) listener();
      },
    };
  });
  const state = useSyncExternalStore(store.subscribe, store.get, store.get);
  const actions = useMemo<UiActions>(() => {
    const dispatch = store.dispatch;
    return {
      current: store.get,
      focus: (pane) => dispatch({ type: 'focus', pane }),
      focusStep: (by) => dispatch({ type: 'focus.step', by }),
      toggleZoom: () => dispatch({ type: 'zoom.toggle' }),
      openDialog: (dialog) => dispatch({ type: 'dialog.open', dialog }),
      closeDialog: () => dispatch({ type: 'dialog.close' }),
      pauseLogs: (anchor) => dispatch({ type: 'logs.pause', anchor }),
      followLogs: () => dispatch({ type: 'logs.follow' }),
      toggleWrap: () => dispatch({ type: 'logs.wrap.toggle' }),
      toggleTimestamps: () => dispatch({ type: 'logs.timestamps.toggle' }),
      editFilter: () => dispatch({ type: 'logs.filter.edit' }),
      draftFilter: (text) => dispatch({ type: 'logs.filter.draft', text }),
      applyFilter: () => dispatch({ type: 'logs.filter.apply' }),
      cancelFilter: () => dispatch({ type: 'logs.filter.cancel' }),
      clearFilter: () => dispatch({ type: 'logs.filter.clear' }),
      startQuit: (reason) => dispatch({ type: 'quit.start', reason }),
    };
  }, [store]);
  return (
    <UiActionsContext.Provider value={actions}>
      <UiStateContext.Provider value={state}>{children}</UiStateContext.Provider>
    </UiActionsContext.Provider>
  );
}
