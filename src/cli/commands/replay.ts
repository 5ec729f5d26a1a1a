import { resolve } from 'node:path';
import { createElement, useMemo, useSyncExternalStore } from 'react';
import { messageOf } from '../../engine/errors';
import { createViewStore } from '../../engine/store';
import { openRecording, type OpenedRecording } from '../../record/open';
import { createReplayController, REPLAY_SPEEDS, SEEK_STEP_MS, type ReplayController, type ReplayStatus } from '../../record/replay-controller';
import { durationMs } from '../../scenario/duration';
import { App } from '../../ui/App';
import type { DeckMode, RunBinding } from '../../ui/contexts';
import { mountDeck } from '../../ui/render';
import { glyphsFor } from '../../ui/theme/glyphs';
import { chooseThemeName, loadTheme } from '../../ui/theme/load';
import type { Look } from '../../ui/theme/context';
import { palette, shouldColor } from '../colors';
import { ExitCode, type CliCommand, type CliIo } from '../command';
import { createTimelinePrinter } from '../timeline';
import { builtinThemesDir } from './present';

// `chaosdeck replay <file>`: the deck on a recording, with no infrastructure.
// Events go through the same reducer as live, so the panes behave as they did;
// the deck gets no run controller, so nothing can run, restore or halt, and
// the replay keys (space, + −, [ ], ← →) drive a clock instead.

/** How the deck shows a replay: the REPLAY badge, read-only, time from the events. */
export const REPLAY_MODE: DeckMode = { badge: 'REPLAY', role: 'replay', isReadOnly: true, clock: 'events' };

/** Loads the look the deck draws with (theme from --theme, NO_COLOR or CHAOSDECK_THEME; glyphs from the locale). */
export async function loadLook(theme: string | undefined, env: NodeJS.ProcessEnv): Promise<Look> {
  return { theme: await loadTheme(chooseThemeName(theme, env), builtinThemesDir()), glyphs: glyphsFor(env) };
}

/** The key handlers replay adds to the deck's screen layer. */
export function replayKeyHandlers(replay: ReplayController) {
  const consume = (effect: () => unknown) => () => {
    effect();
    return true;
  };
  return {
    'replay.pause': consume(replay.toggle),
    'replay.faster': consume(replay.faster),
    'replay.slower': consume(replay.slower),
    'replay.seekBack': consume(() => replay.seekBy(-SEEK_STEP_MS)),
    'replay.seekForward': consume(() => replay.seekBy(SEEK_STEP_MS)),
    'replay.nextMarker': consume(replay.nextMarker),
    'replay.previousMarker': consume(replay.previousMarker),
  } as const;
}

/** Parses `--at`: seconds (`90`) or a duration (`1m30s` is not one; `90s`, `2m`). */
function parseAt(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  try {
    return durationMs(text as `${number}s`);
  } catch {
    return undefined;
  }
}

/** What the badge says after REPLAY: playing or paused, and the speed. */
export function replayDetail(status: ReplayStatus): string {
  const speed = `×${status.speed}`;
  if (status.isAtEnd) return `end ${speed}`;
  return status.isPlaying ? `▶ ${speed}` : `paused ${speed}`;
}

/** The deck on a replay: the App, read-only, with the replay keys on its screen layer and the state in its badge. */
export function ReplayDeck({ replay, binding, onExit }: { readonly replay: ReplayController; readonly binding: RunBinding; readonly onExit: () => void }) {
  // Only the badge's words re-render the deck; playback ticks reach the panes through the store.
  const detail = useSyncExternalStore(replay.subscribe, () => replayDetail(replay.getStatus()));
  const run = useMemo<RunBinding>(() => ({ ...binding, mode: { ...(binding.mode ?? REPLAY_MODE), detail } }), [binding, detail]);
  const handlers = useMemo(() => replayKeyHandlers(replay), [replay]);
  return createElement(App, { run, screenHandlers: handlers, onExit });
}

async function replayInDeck(io: CliIo, opened: OpenedRecording, values: Record<string, unknown>, speed: number, startAt: number | undefined): Promise<number> {
  const look = await loadLook(values.theme as string | undefined, io.env);
  const store = createViewStore();
  const replay = createReplayController({ timeline: opened.timeline, store, speed, startAt, isLoading: true, isPlaying: values.paused !== true });
  void opened.loaded.then(
    ({ description }) => {
      // The deck's footer says where a damaged recording stops, at the moment playback reaches it.
      if (description) opened.timeline.append([{ t: opened.timeline.end, type: 'notice', level: 'warn', text: `the recording stops here: ${description}` }]);
      replay.markLoaded(description);
    },
    (error) => replay.markLoaded(messageOf(error)),
  );
  const binding: RunBinding = { store, mode: REPLAY_MODE, isAudience: values.audience === true };
  let deck: ReturnType<typeof mountDeck> | null = null;
  const element = createElement(ReplayDeck, { replay, binding, onExit: () => deck?.instance.unmount() });
  deck = mountDeck(element, look, { stdout: io.stdout as NodeJS.WriteStream, stdin: io.stdin as NodeJS.ReadStream, stderr: io.stderr as NodeJS.WriteStream });
  const onSignal = () => deck?.instance.unmount();
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  try {
    await deck.exited;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    replay.close();
    opened.close();
  }
  const { description } = await opened.loaded.catch((error: unknown) => ({ description: messageOf(error) }));
  if (description) io.stderr.write(`chaosdeck replay: the recording stops early: ${description}\n`);
  return ExitCode.ok;
}

async function replayHeadless(io: CliIo, opened: OpenedRecording, values: Record<string, unknown>): Promise<number> {
  const { description } = await opened.loaded;
  const paint = palette(shouldColor(io.stdout, io.env));
  const print = createTimelinePrinter({ write: (text) => io.stdout.write(text), palette: paint, showLogs: values.logs === true });
  for (const event of opened.timeline.events) print(event);
  if (description) {
    io.stderr.write(`chaosdeck replay: the recording stops early: ${description}\n`);
    return ExitCode.failed;
  }
  return ExitCode.ok;
}

export const replayCommand: CliCommand = {
  name: 'replay',
  summary: 'replay a recording in the deck, with no infrastructure',
  usage: 'chaosdeck replay <recording.jsonl> [--speed x] [--at seconds] [--paused] [--theme t] [--headless]\n\n'
    + 'Opens the deck on a recorded run. space pause/play · + − speed ×0.5–×16 · [ ] previous/next step\n'
    + '· ← → seek 10 s · q quit. Nothing runs: every action is disabled. Without a terminal (or with\n'
    + '--headless) it prints the run\'s timeline instead.',
  options: {
    speed: { type: 'string' },
    at: { type: 'string' },
    paused: { type: 'boolean' },
    theme: { type: 'string' },
    audience: { type: 'boolean' },
    headless: { type: 'boolean' },
    logs: { type: 'boolean' },
  },
  optionHelp: {
    speed: `playback speed: ${REPLAY_SPEEDS.join(', ')} (default 1)`,
    at: 'start at this run time: seconds, or a duration such as 90s or 2m (default: the first step)',
    paused: 'open paused',
    theme: 'dark | light | high-contrast | mono',
    audience: 'hide presenter-only content (talking points)',
    headless: 'print the timeline instead of opening the deck',
    logs: 'with --headless, print source log lines too',
  },
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) {
      io.stderr.write('chaosdeck replay: which recording? (recordings/*.jsonl)\n');
      return ExitCode.usage;
    }
    const values = args.values as Record<string, unknown>;
    const speed = values.speed === undefined ? 1 : Number(values.speed);
    if (!REPLAY_SPEEDS.includes(speed as never)) {
      io.stderr.write(`chaosdeck replay: --speed is one of ${REPLAY_SPEEDS.join(', ')}, got '${String(values.speed)}'\n`);
      return ExitCode.usage;
    }
    const startAt = values.at === undefined ? undefined : parseAt(String(values.at));
    if (values.at !== undefined && startAt === undefined) {
      io.stderr.write(`chaosdeck replay: --at wants seconds or a duration (90, 90s, 2m), got '${String(values.at)}'\n`);
      return ExitCode.usage;
    }
    const opened = await openRecording(resolve(io.cwd, file));
    const isTerminal = Boolean(io.stdout.isTTY && io.stdin.isTTY);
    if (values.headless === true || !isTerminal) return replayHeadless(io, opened, values);
    return replayInDeck(io, opened, values, speed, startAt);
  },
};
