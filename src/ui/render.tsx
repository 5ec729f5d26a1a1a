import { render, type Instance } from 'ink';
import type { ReactNode } from 'react';
import { ScreenWriterContext, streamWriter } from './screen-writer';
import { LookProvider, type Look } from './theme/context';

// How the deck is mounted. Each option below is a measured decision (issue 4):
// - incrementalRendering: rewrites only changed lines (−42 % bytes per frame);
//   it only works because the root is one row shorter than the terminal
//   (layout.ts), since Ink clears the whole screen when output fills it.
// - maxFps 60: key→screen median 33–44 ms instead of 80–100 ms at the default 30.
// - patchConsole off: a stray console.log must not reflow a full-screen app.
// - exitOnCtrlC off: Ctrl+C must restore faults first; the deck handles it as a key.

/** ANSI: switch to and from the alternate screen, so the shell's scrollback survives the deck. */
export const ENTER_ALTERNATE_SCREEN = '\x1b[?1049h\x1b[H';
export const LEAVE_ALTERNATE_SCREEN = '\x1b[?1049l';

/** The streams the deck draws to and reads from. */
export interface DeckStreams {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

/** Options Ink gets for a full-screen deck; exported so tests and benchmarks mount it the same way. */
export function inkOptions(streams: DeckStreams) {
  return {
    stdout: streams.stdout,
    stdin: streams.stdin,
    stderr: streams.stderr,
    incrementalRendering: true,
    maxFps: 60,
    patchConsole: false,
    exitOnCtrlC: false,
  } as const;
}

// Ink 6.8's incremental log-update parks the cursor on the row below the frame
// (the frame ends in a newline, as it must one row short of the screen) but
// starts the next frame with cursorUp(height - 1), so every changed row lands
// one row low (seen in tmux: the header drawn over the pane titles; compare
// https://github.com/vadimdemedes/ink/issues/1023 for the same bookkeeping
// off by one on resize). The deck owns the whole alternate screen and always
// draws from its top-left corner, so that relative move becomes cursor-home.
// eslint-disable-next-line no-control-regex
const LEADING_CURSOR_UP = /^\x1b\[\d+A/;

/** Wraps stdout so each incremental frame starts at the top-left corner of the screen. */
export function anchorFrames(stdout: NodeJS.WriteStream): NodeJS.WriteStream {
  return new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') {
        return (chunk: unknown, ...rest: unknown[]) => {
          const data = typeof chunk === 'string' && LEADING_CURSOR_UP.test(chunk) ? chunk.replace(LEADING_CURSOR_UP, '\x1b[H') : chunk;
          return (target.write as (...args: unknown[]) => boolean)(data, ...rest);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A mounted deck. */
export interface MountedDeck {
  readonly instance: Instance;
  /** Resolves when the app has exited and the terminal is restored. */
  readonly exited: Promise<void>;
}

/**
 * Mounts `node` full screen: alternate screen on a TTY, restored however the
 * process ends; on resize the screen is cleared so no stale cells survive a
 * shrink, and Ink redraws everything.
 */
export function mountDeck(node: ReactNode, look: Look, streams: DeckStreams): MountedDeck {
  const isTty = Boolean(streams.stdout.isTTY);
  let isRestored = false;
  const restore = () => {
    if (isRestored || !isTty) return;
    isRestored = true;
    streams.stdout.write(LEAVE_ALTERNATE_SCREEN);
  };
  // When the terminal goes away (SIGHUP, a closed tmux pane) writes fail with
  // EIO; the deck must still restore faults on its way out, not crash on them.
  const onWriteError = () => undefined;
  streams.stdout.on('error', onWriteError);
  if (isTty) streams.stdout.write(ENTER_ALTERNATE_SCREEN);
  process.once('exit', restore);
  const stdout = isTty ? anchorFrames(streams.stdout) : streams.stdout;
  const writer = isTty ? streamWriter(streams.stdout) : null;
  const instance = render(
    <ScreenWriterContext.Provider value={writer}>
      <LookProvider look={look}>{node}</LookProvider>
    </ScreenWriterContext.Provider>,
    inkOptions({ ...streams, stdout }),
  );
  const onResize = () => {
    // Ink clears only when the width shrinks; a shorter window leaves the old bottom rows behind.
    instance.clear();
    streams.stdout.write('\x1b[2J\x1b[H');
  };
  if (isTty) streams.stdout.prependListener('resize', onResize);
  const exited = instance.waitUntilExit().then(
    () => undefined,
    () => undefined,
  ).finally(() => {
    streams.stdout.off('resize', onResize);
    restore();
    // onWriteError stays: a write to a terminal that is gone fails a tick after
    // write() returns, and an 'error' event with no listener ends the process
    // before the faults are restored (seen when the tmux session was killed).
    process.off('exit', restore);
  });
  return { instance, exited };
}
