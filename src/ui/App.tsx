import { Box, Text } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { createTicker } from './clock';
import { TickerContext } from './hooks/use-now';
import type { RunOutcome } from '../engine/controller';
import type { ViewState } from '../engine/view-state';
import type { ConfirmBridge, ConfirmRequest } from './confirm-bridge';
import { RunContext, UiProvider, type RunBinding } from './contexts';
import { useKeyLayers } from './hooks/use-key-layers';
import type { UiState } from './ui-state';
import { modeOfRun } from './hooks/use-run';
import { useTerminalSize } from './hooks/use-terminal-size';
import { useUiActions } from './hooks/use-ui-actions';
import { useUiState } from './hooks/use-ui-state';
import { useViewState } from './hooks/use-view-state';
import { buildDeckLayers } from './deck-layers';
import { activeBindings, type CommandHandler, type CommandId, type PaneId } from './keymap';
import { computeLayout, MIN_COLUMNS, MIN_ROWS, type LayoutNode, type PaneRect } from './layout';
import { Breakers } from './panes/Breakers';
import { Commands } from './panes/Commands';
import { Footer } from './panes/Footer';
import { Header } from './panes/Header';
import { Latency } from './panes/Latency';
import { Logs } from './panes/Logs';
import { Notes } from './panes/Notes';
import { Banners, bannerRows, ConfirmDialog, DialogFrame, HelpOverlay, TooSmall } from './panes/Overlays';
import { ShareOverlay } from './panes/ShareOverlay';
import { Status } from './panes/Status';
import { Steps } from './panes/Steps';
import { useLook } from './hooks/use-look';
import { useRunTimeWhen } from './hooks/use-run-time';

const PANES: Readonly<Record<PaneId, (props: { rect: PaneRect }) => ReactNode>> = {
  notes: Notes, steps: Steps, commands: Commands, logs: Logs, status: Status, latency: Latency, breakers: Breakers,
};

function LayoutView({ node }: { readonly node: LayoutNode }) {
  if (node.kind === 'pane') {
    const Pane = PANES[node.id];
    return <Pane rect={node} />;
  }
  return (
    <Box flexDirection={node.kind === 'row' ? 'row' : 'column'} width={node.width} height={node.height} columnGap={node.kind === 'row' ? 1 : 0}>
      {node.children.map((child, i) => <LayoutView key={child.kind === 'pane' ? child.id : `${child.kind}${i}`} node={child} />)}
    </Box>
  );
}

/** Props of the deck. */
export interface AppProps {
  /** The run to show and how to drive it. */
  readonly run: RunBinding;
  /** Where the run's y/N questions arrive; without it the deck never shows one. */
  readonly confirm?: ConfirmBridge;
  /** Handlers added to the screen layer (replay's pause, speed and seek); they win over the deck's own. */
  readonly screenHandlers?: Partial<Record<CommandId, CommandHandler>>;
  /** Called once, after the deck restored and ended the run on q or Ctrl+C (null without a controller). */
  readonly onExit: (outcome: RunOutcome | null) => void;
}

/** The deck: header, panes laid out for the terminal, banners, footer, dialogs, and the keys that drive the run. */
export function App(props: AppProps) {
  const [ticker] = useState(() => createTicker());
  return (
    <RunContext.Provider value={props.run}>
      <TickerContext.Provider value={ticker}>
        <UiProvider>
          <Deck {...props} />
        </UiProvider>
      </TickerContext.Provider>
    </RunContext.Provider>
  );
}

const selectStepCount = (s: ViewState) => s.run?.scenario.steps.length ?? 0;
const selectMode = (s: ViewState) => s.run?.mode;
const selectHalted = (s: ViewState) => s.halted;
const selectVerdict = (s: ViewState) => s.verdict;
const selectPendingFaults = (s: ViewState) => s.pendingFaults.length;
const selectNotices = (s: ViewState) => s.notices;
const noRequest = () => null;
const noSubscribe = () => () => {};

/** How many Ctrl+C presses while restoring leave without finishing the restore. */
const FORCE_QUIT_PRESSES = 3;

function Deck({ run, confirm, screenHandlers, onExit }: AppProps) {
  const { columns, rows } = useTerminalSize();
  const ui = useUiState();
  const actions = useUiActions();
  const stepCount = useViewState(selectStepCount);
  const runMode = useViewState(selectMode);
  const halted = useViewState(selectHalted);
  const verdict = useViewState(selectVerdict);
  const pendingFaults = useViewState(selectPendingFaults);
  const request: ConfirmRequest | null = useSyncExternalStore(confirm?.subscribe ?? noSubscribe, confirm?.getSnapshot ?? noRequest, confirm?.getSnapshot ?? noRequest);
  const mode = run.mode ?? modeOfRun(runMode);
  const controller = run.controller;
  const interrupts = useRef(0);
  const hasExited = useRef(false);

  const layout = computeLayout(columns, rows, { zoomed: ui.zoomed, stepRows: stepCount + 4, bannerRows: bannerRows({ halted, verdict }) });
  const logsHeight = layout.kind === 'deck' ? Math.max(3, layout.bodyHeight - 2) : 10;

  const exit = (outcome: RunOutcome | null) => {
    if (hasExited.current) return;
    hasExited.current = true;
    onExit(outcome);
  };
  const quit = (reason: 'quit' | 'interrupt') => {
    if (actions.current().quitting) return;
    actions.startQuit(reason);
    confirm?.cancelAll();
    if (!controller) return exit(null);
    const state = run.store.getSnapshot();
    const isComplete = state.steps.length > 0 && state.steps.every((s) => s.progress === 'done' || s.progress === 'skipped');
    void controller.finish(reason === 'interrupt' ? 'interrupted' : isComplete ? 'completed' : 'aborted').then(exit, () => exit(null));
  };
  const interrupt = () => {
    interrupts.current += 1;
    if (actions.current().quitting && interrupts.current >= FORCE_QUIT_PRESSES) exit(null);
    else quit('interrupt');
  };
  const buildLayers = (state: UiState) => buildDeckLayers(state, { actions, controller, confirm, store: run.store, isShared: Boolean(run.share), screenHandlers, logsPage: logsHeight, quit, interrupt });
  // A shared run opens on how to join, so the room can scan the code while the presenter starts.
  useEffect(() => {
    if (run.share) actions.openDialog({ kind: 'share' });
  }, [run.share, actions]);
  useKeyLayers(() => buildLayers(actions.current()), { isReadOnly: mode.isReadOnly });
  const layers = buildLayers(ui);
  const screenBindings = activeBindings(layers.slice(-2), { isReadOnly: mode.isReadOnly });
  const footerBindings = activeBindings(layers.slice(1), { isReadOnly: mode.isReadOnly });

  if (layout.kind === 'too-small') return <TooSmall columns={columns} rows={rows} minColumns={MIN_COLUMNS} minRows={MIN_ROWS} />;
  const bodyHeight = layout.bodyHeight;
  let body: ReactNode = <LayoutView node={layout.body} />;
  if (ui.quitting) body = <Quitting width={layout.width} height={bodyHeight} faults={pendingFaults} reason={ui.quitting.reason} />;
  else if (request) body = <ConfirmDialog width={layout.width} height={bodyHeight} question={request.question} />;
  else if (ui.dialog?.kind === 'quit') body = <ConfirmDialog width={layout.width} height={bodyHeight} title="Quit" question={`${ui.dialog.pendingFaults} fault${ui.dialog.pendingFaults === 1 ? ' is' : 's are'} still injected. Restore everything and quit?`} />;
  else if (ui.dialog?.kind === 'help') body = <HelpOverlay width={layout.width} height={bodyHeight} bindings={screenBindings} />;
  else if (ui.dialog?.kind === 'share' && run.share) body = <ShareOverlay info={run.share} width={layout.width} height={bodyHeight} />;
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header width={layout.width} mode={mode} />
      <Banners width={layout.width} />
      <Box height={bodyHeight} width={layout.width}>{body}</Box>
      <FooterWithStatus width={layout.width} bindings={footerBindings} />
    </Box>
  );
}

/** The footer with the newest warning as its status, shown for a few seconds. */
function FooterWithStatus({ width, bindings }: { readonly width: number; readonly bindings: ReturnType<typeof activeBindings> }) {
  const notices = useViewState(selectNotices);
  const notice = notices.at(-1);
  const isNoticeFresh = (time: number) => Boolean(notice && notice.level !== 'info' && time - notice.t < 8000);
  // Redrawn when the newest notice goes stale, not on every tick.
  const runTime = useRunTimeWhen(isNoticeFresh);
  const ui = useUiState();
  const isFresh = notice && isNoticeFresh(runTime);
  const status = isFresh ? `${notice.level}: ${notice.text}` : ui.logs.anchor ? 'logs paused (s follows)' : '';
  return <Footer width={width} bindings={bindings} status={status} />;
}

function Quitting({ width, height, faults, reason }: { readonly width: number; readonly height: number; readonly faults: number; readonly reason: 'quit' | 'interrupt' }) {
  const { theme } = useLook();
  return (
    <DialogFrame width={width} height={height} title={reason === 'interrupt' ? 'Interrupted' : 'Quitting'}>
      <Text>{faults > 0 ? `Restoring ${faults} fault${faults === 1 ? '' : 's'}, then stopping what the deck started…` : 'Ending the run…'}</Text>
      <Text {...theme.roles.text.muted}>Ctrl+C {FORCE_QUIT_PRESSES} times leaves without waiting (then run `chaosdeck restore`).</Text>
    </DialogFrame>
  );
}
