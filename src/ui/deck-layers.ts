import type { RunController } from '../engine/controller';
import type { ViewStore } from '../engine/store';
import type { ConfirmBridge } from './confirm-bridge';
import type { UiActions } from './contexts';
import { PANE_IDS, type CommandHandler, type CommandId, type KeyLayer } from './keymap';
import type { UiState } from './ui-state';

// Which handlers the deck's keys reach in each state: system (Ctrl+C, always),
// then at most one modal (quitting, the run's y/N, quit, help, the filter
// prompt), then the screen, then global keys. Built per key press from the
// newest state, and per render for the footer and the `?` overlay.

/** What the deck's handlers act on. */
export interface DeckKeyContext {
  readonly actions: UiActions;
  readonly controller?: RunController;
  readonly confirm?: ConfirmBridge;
  readonly store: ViewStore;
  /** True when followers can join (the run is shared): `j` shows how. */
  readonly isShared?: boolean;
  /** Replay's and follow's own screen handlers; they win over the deck's. */
  readonly screenHandlers?: Partial<Record<CommandId, CommandHandler>>;
  /** Lines a page-up moves in the logs. */
  readonly logsPage: number;
  quit(reason: 'quit' | 'interrupt'): void;
  interrupt(): void;
}

const consume = (effect: () => void): CommandHandler => () => {
  effect();
  return true;
};

/** Moves the paused logs anchor by `by` lines; reaching the end follows again. */
function moveAnchor({ actions, store }: DeckKeyContext, by: number): boolean {
  const lines = store.getSnapshot().logs.lines;
  if (lines.length === 0) return true;
  const anchor = actions.current().logs.anchor;
  const from = anchor ? Math.max(0, lines.lastIndexOf(anchor)) : lines.length - 1;
  const to = Math.min(lines.length - 1, Math.max(0, from + by));
  if (to >= lines.length - 1 && by > 0) actions.followLogs();
  else actions.pauseLogs(lines[to]!);
  return true;
}

function modalLayer(ui: UiState, context: DeckKeyContext): KeyLayer | null {
  const { actions, confirm } = context;
  if (ui.quitting) return { id: 'quitting', handlers: {}, isExclusive: true };
  if (confirm && confirm.getSnapshot()) {
    return { id: 'confirm', isExclusive: true, handlers: { 'modal.yes': consume(() => confirm.answer(true)), 'modal.no': consume(() => confirm.answer(false)) } };
  }
  if (ui.dialog?.kind === 'quit') return { id: 'quit', isExclusive: true, handlers: { 'modal.yes': consume(() => context.quit('quit')), 'modal.no': consume(actions.closeDialog) } };
  if (ui.dialog?.kind === 'help') return { id: 'help', isExclusive: true, handlers: { 'ui.close': consume(actions.closeDialog) } };
  if (ui.dialog?.kind === 'share') return { id: 'share', isExclusive: true, handlers: { 'ui.close': consume(actions.closeDialog), 'ui.share': consume(actions.closeDialog) } };
  if (ui.logs.draft !== null) {
    const draft = ui.logs.draft;
    return {
      id: 'filter',
      isExclusive: true,
      handlers: {},
      onText: (input, key) => {
        if (key.return) actions.applyFilter();
        else if (key.escape) actions.cancelFilter();
        else if (key.backspace || key.delete) actions.draftFilter(draft.slice(0, -1));
        else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow) actions.draftFilter(draft + input);
        return true;
      },
    };
  }
  return null;
}

function screenLayer(ui: UiState, context: DeckKeyContext): KeyLayer {
  const { actions, controller, store } = context;
  const handlers: Partial<Record<CommandId, CommandHandler>> = {
    ...(controller ? {
      'deck.next': consume(() => controller.next()),
      'deck.back': consume(() => controller.back()),
      'deck.run': consume(() => controller.runStep()),
      'deck.restore': consume(() => controller.restore()),
      'deck.halt': consume(() => controller.halt('halt all pressed by the presenter')),
    } : {}),
    'ui.focusNext': consume(() => actions.focusStep(1)),
    'ui.focusPrevious': consume(() => actions.focusStep(-1)),
    'ui.zoom': consume(actions.toggleZoom),
    ...Object.fromEntries(PANE_IDS.map((pane) => [`ui.focus.${pane}`, consume(() => actions.focus(pane))])),
    'logs.follow': consume(() => (ui.logs.anchor ? actions.followLogs() : actions.pauseLogs(store.getSnapshot().logs.lines.at(-1) ?? null))),
    'logs.wrap': consume(actions.toggleWrap),
    'logs.timestamps': consume(actions.toggleTimestamps),
    'logs.filter': consume(actions.editFilter),
    // Esc clears the filter first, then unzooms; with neither it passes on.
    'logs.clearFilter': () => {
      if (ui.logs.filter) actions.clearFilter();
      else if (ui.zoomed) actions.toggleZoom();
      else return false;
      return true;
    },
    'logs.up': () => moveAnchor(context, -1),
    'logs.down': () => (ui.logs.anchor ? moveAnchor(context, 1) : false),
    'logs.pageUp': () => moveAnchor(context, -context.logsPage),
    'logs.pageDown': () => (ui.logs.anchor ? moveAnchor(context, context.logsPage) : false),
    ...context.screenHandlers,
  };
  return { id: 'screen', handlers };
}

/** The deck's layers for a UI state, top first. */
export function buildDeckLayers(ui: UiState, context: DeckKeyContext): KeyLayer[] {
  const { actions, controller, store } = context;
  const layers: KeyLayer[] = [{ id: 'system', handlers: { 'deck.interrupt': consume(context.interrupt) } }];
  const modal = modalLayer(ui, context);
  if (modal) layers.push(modal);
  layers.push(screenLayer(ui, context));
  layers.push({
    id: 'global',
    handlers: {
      'deck.quit': consume(() => {
        const pendingFaults = store.getSnapshot().pendingFaults.length;
        if (pendingFaults > 0 && controller) actions.openDialog({ kind: 'quit', pendingFaults });
        else context.quit('quit');
      }),
      'ui.help': consume(() => actions.openDialog({ kind: 'help' })),
      ...(context.isShared ? { 'ui.share': consume(() => actions.openDialog({ kind: 'share' })) } : {}),
    },
  });
  return layers;
}
