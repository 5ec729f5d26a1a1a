import { render, type Instance } from 'ink';
import type { ReactNode } from 'react';
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
  if (isTty) streams.stdout.write(ENTER_ALTERNATE_SCREEN);
  process.once('exit', restore);
  const instance = render(<LookProvider look={look}>{node}</LookProvider>, inkOptions(streams));
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
    process.off('exit', restore);
  });
  return { instance, exited };
}
