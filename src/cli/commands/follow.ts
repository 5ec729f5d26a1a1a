import { createElement } from 'react';
import { createViewStore } from '../../engine/store';
import { createBrowseStore } from '../../share/browse-store';
import { follow, parseFollowUrl, type Follower, type FollowerStatus } from '../../share/follower';
import { FollowDeck } from '../../share/FollowDeck';
import { PresenterNotes } from '../../share/PresenterNotes';
import { mountDeck } from '../../ui/render';
import { glyphsFor } from '../../ui/theme/glyphs';
import { chooseThemeName, loadTheme } from '../../ui/theme/load';
import { palette, shouldColor } from '../colors';
import { ExitCode, type CliCommand, type CliIo } from '../command';
import { createTimelinePrinter } from '../timeline';
import { builtinThemesDir } from './present';
import { stateDir } from '../../engine/state-dir';

// `chaosdeck follow URL --token T`: a student's read-only deck, fed by a
// presenter's share; `--notes` with the presenter token is the presenter's
// second screen. Without a terminal (or with --json) it prints the stream.

/** How long to wait for the first snapshot before saying the share is not answering. */
const QUIET_MS = 5_000;

function connectionLine(status: FollowerStatus): string | null {
  if (status.phase === 'live' || status.phase === 'connecting') return null;
  if (status.phase === 'reconnecting') return `reconnecting to the share (${status.reason ?? 'connection lost'})…`;
  return `share ${status.phase}: ${status.reason ?? ''}`;
}

/** Waits for the first snapshot; says so once when the share is slow to answer. Resolves false when refused or failed. */
async function firstContact(follower: Follower, base: string, io: CliIo): Promise<boolean> {
  const quiet = setTimeout(() => io.stderr.write(`chaosdeck follow: ${base} is not answering yet; still trying (Ctrl+C to stop)\n`), QUIET_MS);
  try {
    await follower.ready;
    return true;
  } catch (error) {
    io.stderr.write(`chaosdeck follow: ${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  } finally {
    clearTimeout(quiet);
  }
}

/** Resolves when the follower ends (the presenter stopped sharing, or it failed) or on SIGINT/SIGTERM. */
function untilEnded(follower: Follower): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      follower.close();
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    follower.subscribeStatus(() => {
      const phase = follower.status().phase;
      if (phase === 'ended' || phase === 'failed' || phase === 'refused') {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      }
    });
  });
}

export const followCommand: CliCommand = {
  name: 'follow',
  summary: 'follow a presenter\'s shared deck, read-only (or its notes with --notes)',
  usage: 'chaosdeck follow <url> [--token TOKEN] [--notes] [--theme t] [--json]\n\n'
    + 'Follows a run shared with `chaosdeck present … --share`: the deck in your terminal, read-only.\n'
    + '← → look at other steps · space back to live · q quit. With --notes and the presenter\n'
    + 'token: talking points, the next step and timers, for the presenter\'s own screen.',
  options: {
    token: { type: 'string' },
    notes: { type: 'boolean' },
    theme: { type: 'string' },
    json: { type: 'boolean' },
  },
  optionHelp: {
    token: 'the token the deck shows (default: the ?token= in the URL)',
    notes: 'the presenter-notes view; needs the presenter token (read from the state directory when the deck runs on this machine)',
    theme: 'dark | light | high-contrast | mono',
    json: 'print the snapshot and each event as JSON lines instead of drawing the deck',
  },
  async run(args, io) {
    const target = args.positionals[0];
    if (!target) {
      io.stderr.write('chaosdeck follow: which share? Pass the URL the presenter shows.\n');
      return ExitCode.usage;
    }
    let base: string;
    let urlToken: string | null;
    try {
      ({ base, token: urlToken } = parseFollowUrl(target));
    } catch (error) {
      io.stderr.write(`chaosdeck follow: ${(error as Error).message}\n`);
      return ExitCode.usage;
    }
    // The presenter's own deck keeps its presenter token in the state directory, never on screen.
    const localPresenterToken = args.values.notes === true && typeof args.values.token !== 'string'
      ? (await import('../../share/presenter-file')).readPresenterToken(stateDir(io.env), base)
      : null;
    const token = typeof args.values.token === 'string' ? args.values.token : localPresenterToken ?? urlToken;
    if (!token) {
      io.stderr.write('chaosdeck follow: a token is required: --token TOKEN, or the URL with ?token=\n');
      return ExitCode.usage;
    }
    const isNotes = args.values.notes === true;
    const isJson = args.values.json === true;
    const stdout = io.stdout as NodeJS.WriteStream;
    const stdin = io.stdin as NodeJS.ReadStream;
    const isDeck = !isJson && Boolean(stdout.isTTY && stdin.isTTY);

    let theme;
    if (isDeck) {
      try {
        theme = await loadTheme(chooseThemeName(args.values.theme as string | undefined, io.env), builtinThemesDir());
      } catch (error) {
        io.stderr.write(`chaosdeck follow: ${(error as Error).message}\n`);
        return ExitCode.usage;
      }
    }

    const store = createViewStore();
    const write = (text: string) => io.stdout.write(text);
    const printer = isJson ? (event: unknown) => write(`${JSON.stringify(event)}\n`) : createTimelinePrinter({ write, palette: palette(shouldColor(io.stdout, io.env)) });
    const follower = follow({ url: base, token, role: isNotes ? 'presenter' : undefined, store, ...(isDeck ? {} : { onEvent: printer }) });
    if (!(await firstContact(follower, base, io))) return follower.status().phase === 'refused' ? ExitCode.usage : ExitCode.failed;

    if (!isDeck) {
      store.flush();
      const state = store.getSnapshot();
      if (isJson) write(`${JSON.stringify({ snapshot: state, seq: follower.status().seq, role: follower.status().role })}\n`);
      else write(`following ${state.run?.scenario.title ?? 'a share (no run yet)'}${state.phase ? ` — ${state.phase}, step ${state.currentStep + 1}/${state.steps.length}` : ''}\n`);
      await untilEnded(follower);
      return follower.status().phase === 'failed' ? ExitCode.failed : ExitCode.ok;
    }

    const view = createBrowseStore(store);
    const unsubscribe = follower.subscribeStatus(() => view.setStatus(connectionLine(follower.status())));
    const connection = { getSnapshot: follower.status, subscribe: follower.subscribeStatus };
    const node = isNotes
      ? createElement(PresenterNotes, { store, connection })
      : createElement(FollowDeck, { store: view, isAudience: follower.status().role !== 'presenter' });
    const deck = mountDeck(node, { theme: theme!, glyphs: glyphsFor(io.env) }, { stdout, stdin, stderr: io.stderr as NodeJS.WriteStream });
    const onSignal = () => deck.instance.unmount();
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal);
    try {
      await deck.exited;
    } finally {
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
      unsubscribe();
      follower.close();
    }
    return ExitCode.ok;
  },
};
