import type { LogLineView } from '../engine/view-state';
import { PANE_IDS, type PaneId } from './keymap';

// What the deck itself remembers, apart from the run: focus, zoom, the logs
// pane's modes and which dialog is open. A pure reducer, so it is tested
// without rendering, and a second (presenter) view keeps its own copy while
// sharing the run's ViewState.

/** The logs pane's modes. */
export interface LogsUiState {
  /** The last line shown while paused; null follows the newest line. */
  readonly anchor: LogLineView | null;
  readonly isWrapped: boolean;
  readonly hasTimestamps: boolean;
  /** The applied `/` filter; empty shows everything. */
  readonly filter: string;
  /** The filter being typed, or null when not editing. */
  readonly draft: string | null;
}

/** The dialog on top, if any. */
export type Dialog = { readonly kind: 'help' } | { readonly kind: 'share' } | { readonly kind: 'quit'; readonly pendingFaults: number } | null;

/** The deck's own state. */
export interface UiState {
  readonly focus: PaneId;
  readonly zoomed: PaneId | null;
  readonly dialog: Dialog;
  readonly logs: LogsUiState;
  /** Set while the deck restores and ends the run after q or Ctrl+C. */
  readonly quitting: { readonly reason: 'quit' | 'interrupt' } | null;
}

export const initialUiState: UiState = {
  focus: 'notes',
  zoomed: null,
  dialog: null,
  logs: { anchor: null, isWrapped: false, hasTimestamps: false, filter: '', draft: null },
  quitting: null,
};

/** Everything that changes UI state. */
export type UiAction =
  | { readonly type: 'focus'; readonly pane: PaneId }
  | { readonly type: 'focus.step'; readonly by: 1 | -1 }
  | { readonly type: 'zoom.toggle' }
  | { readonly type: 'dialog.open'; readonly dialog: NonNullable<Dialog> }
  | { readonly type: 'dialog.close' }
  | { readonly type: 'logs.pause'; readonly anchor: LogLineView | null }
  | { readonly type: 'logs.follow' }
  | { readonly type: 'logs.wrap.toggle' }
  | { readonly type: 'logs.timestamps.toggle' }
  | { readonly type: 'logs.filter.edit' }
  | { readonly type: 'logs.filter.draft'; readonly text: string }
  | { readonly type: 'logs.filter.apply' }
  | { readonly type: 'logs.filter.cancel' }
  | { readonly type: 'logs.filter.clear' }
  | { readonly type: 'quit.start'; readonly reason: 'quit' | 'interrupt' };

/** Folds one UI action in. */
export function reduceUi(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'focus':
      return { ...state, focus: action.pane, zoomed: state.zoomed ? action.pane : null };
    case 'focus.step': {
      const index = (PANE_IDS.indexOf(state.focus) + action.by + PANE_IDS.length) % PANE_IDS.length;
      const pane = PANE_IDS[index]!;
      return { ...state, focus: pane, zoomed: state.zoomed ? pane : null };
    }
    case 'zoom.toggle':
      return { ...state, zoomed: state.zoomed ? null : state.focus };
    case 'dialog.open':
      return { ...state, dialog: action.dialog };
    case 'dialog.close':
      return { ...state, dialog: null };
    case 'logs.pause':
      return { ...state, logs: { ...state.logs, anchor: action.anchor } };
    case 'logs.follow':
      return { ...state, logs: { ...state.logs, anchor: null } };
    case 'logs.wrap.toggle':
      return { ...state, logs: { ...state.logs, isWrapped: !state.logs.isWrapped } };
    case 'logs.timestamps.toggle':
      return { ...state, logs: { ...state.logs, hasTimestamps: !state.logs.hasTimestamps } };
    case 'logs.filter.edit':
      return { ...state, logs: { ...state.logs, draft: state.logs.filter } };
    case 'logs.filter.draft':
      return state.logs.draft === null ? state : { ...state, logs: { ...state.logs, draft: action.text } };
    case 'logs.filter.apply':
      return { ...state, logs: { ...state.logs, filter: state.logs.draft ?? state.logs.filter, draft: null } };
    case 'logs.filter.cancel':
      return { ...state, logs: { ...state.logs, draft: null } };
    case 'logs.filter.clear':
      return { ...state, logs: { ...state.logs, filter: '', draft: null } };
    case 'quit.start':
      return state.quitting ? state : { ...state, dialog: null, quitting: { reason: action.reason } };
    default:
      return assertNever(action);
  }
}

function assertNever(action: never): never {
  throw new Error(`unhandled UI action ${JSON.stringify(action)}`);
}
