import { Box, Text, useApp } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { RunOutcome } from '../engine/controller';
import { App } from './App';
import type { ConfirmBridge } from './confirm-bridge';
import type { RunBinding } from './contexts';
import { HomeScreen } from './home/HomeScreen';
import type { HomeData, HomeEntry } from './home/home-data';
import { useKeyLayers } from './hooks/use-key-layers';
import { useLook } from './hooks/use-look';
import { useTerminalSize } from './hooks/use-terminal-size';

// The screens of one deck process: the home screen, the "opening" screen
// while a session starts (the lab can take seconds; a progress line, never a
// frozen screen), the deck itself, and back home when it was opened from there.

/** What opening a scenario needs. */
export interface OpenRequest {
  /** A scenario file or id, as `present` takes it. */
  readonly scenario: string;
  readonly profile?: string;
}

/** A run the shell can show and close. */
export interface OpenedRun {
  readonly binding: Omit<RunBinding, 'isAudience'>;
  readonly confirm?: ConfirmBridge;
  /** Ends the run (restoring first) and releases what opening it started (the lab). */
  close(): Promise<RunOutcome>;
}

/** Props of the shell. */
export interface ShellProps {
  /** Start on the home screen with this loader, or straight in a scenario. */
  readonly start: { readonly kind: 'home' } | { readonly kind: 'open'; readonly request: OpenRequest };
  /** Loads the home screen's data (called again when the presenter returns home). */
  readonly loadHome?: () => Promise<HomeData>;
  /** Opens a run; `onProgress` lines show while it starts. */
  readonly openRun: (request: OpenRequest, onProgress: (text: string) => void) => Promise<OpenedRun>;
  readonly isAudience: boolean;
  /** Called when the process should end: with the last run's outcome, or the error that kept a direct open from starting. */
  readonly onDone: (result: { outcome: RunOutcome | null; error?: unknown }) => void;
}

type Screen =
  | { kind: 'loading-home' }
  | { kind: 'home'; data: HomeData; message?: string }
  | { kind: 'opening'; request: OpenRequest; progress: string[] }
  | { kind: 'deck'; run: OpenedRun; binding: RunBinding }
  | { kind: 'closing'; text: string };

/** The deck process's screens. */
export function Shell({ start, loadHome, openRun, isAudience, onDone }: ShellProps) {
  const [screen, setScreen] = useState<Screen>(() => (start.kind === 'home' ? { kind: 'loading-home' } : { kind: 'opening', request: start.request, progress: [] }));
  const { exit } = useApp();
  const isHomeStart = start.kind === 'home';
  const doneRef = useRef(onDone);
  doneRef.current = onDone;

  const finish = (result: { outcome: RunOutcome | null; error?: unknown }) => {
    doneRef.current(result);
    exit();
  };
  const goHome = (message?: string) => {
    if (!loadHome) return finish({ outcome: null });
    setScreen({ kind: 'loading-home' });
    loadHome().then((data) => setScreen({ kind: 'home', data, message }), (error) => finish({ outcome: null, error }));
  };

  useEffect(() => {
    if (screen.kind === 'loading-home') {
      if (!loadHome) return finish({ outcome: null });
      loadHome().then((data) => setScreen((s) => (s.kind === 'loading-home' ? { kind: 'home', data } : s)), (error) => finish({ outcome: null, error }));
    }
    if (screen.kind !== 'opening') return;
    let isCurrent = true;
    const request = screen.request;
    openRun(request, (text) => {
      if (isCurrent) setScreen((s) => (s.kind === 'opening' ? { ...s, progress: [...s.progress.slice(-8), text] } : s));
    }).then(
      (run) => {
        if (!isCurrent) return void run.close();
        setScreen({ kind: 'deck', run, binding: { ...run.binding, isAudience } });
      },
      (error: unknown) => {
        if (!isCurrent) return;
        if (isHomeStart) goHome(`Could not open ${request.scenario}: ${error instanceof Error ? error.message : String(error)}`);
        else finish({ outcome: null, error });
      },
    );
    return () => {
      isCurrent = false;
    };
    // Runs once per screen change to 'opening' or 'loading-home'.
  }, [screen.kind]);

  // The home screen draws at once; the catalog (every scenario parsed and
  // checked) fills it in when loaded, so the first frame waits for none of it.
  if (screen.kind === 'loading-home') {
    return <HomeScreen key="loading" data={LOADING_HOME} isLoading onOpen={() => undefined} onQuit={() => finish({ outcome: null })} />;
  }
  if (screen.kind === 'home') {
    return (
      <HomeScreen
        key="home"
        data={screen.data}
        message={screen.message}
        onOpen={(entry: HomeEntry, profile) => setScreen({ kind: 'opening', request: { scenario: entry.file, profile }, progress: [] })}
        onQuit={() => finish({ outcome: null })}
      />
    );
  }
  if (screen.kind === 'deck') {
    return (
      <App
        run={screen.binding}
        confirm={screen.run.confirm}
        onExit={(outcome) => {
          setScreen({ kind: 'closing', text: 'Stopping what the deck started…' });
          screen.run.close().then(
            (closed) => (isHomeStart ? goHome() : finish({ outcome: closed ?? outcome })),
            (error) => finish({ outcome, error }),
          );
        }}
      />
    );
  }
  if (screen.kind === 'opening') return <Progress title={`Opening ${screen.request.scenario}`} lines={screen.progress} />;
  return <Progress title={screen.text} lines={[]} />;
}

const LOADING_HOME: HomeData = { entries: [], pendingFaults: [], hasDoctor: true };

/** A title and the latest progress lines, with a spinner that shows the process is alive. */
function Progress({ title, lines }: { readonly title: string; readonly lines: readonly string[] }) {
  const { theme, glyphs } = useLook();
  const { columns, rows } = useTerminalSize();
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => f + 1), 250);
    return () => clearInterval(timer);
  }, []);
  // Ctrl+C here cannot restore anything yet; the CLI's signal handling covers it.
  useKeyLayers(() => []);
  const spinner = glyphs.isUnicode ? '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏' : '|/-\\';
  return (
    <Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)} justifyContent="center" paddingX={4}>
      <Text {...theme.roles.text.heading}>{spinner[frame % spinner.length]} {title}</Text>
      {lines.map((line, i) => <Text key={i} {...(i === lines.length - 1 ? theme.roles.text.primary : theme.roles.text.muted)} wrap="truncate">  {line}</Text>)}
    </Box>
  );
}
