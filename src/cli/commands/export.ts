import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { render } from 'ink';
import { createElement } from 'react';
import { createViewStore } from '../../engine/store';
import type { ViewState } from '../../engine/view-state';
import { writeAsciicast, type FrameRenderer } from '../../record/asciicast';
import { parseTerminalSize, type TerminalSize } from '../../record/format';
import { openRecording } from '../../record/open';
import { App } from '../../ui/App';
import { LookProvider, type Look } from '../../ui/theme/context';
import { ExitCode, type CliCommand } from '../command';
import { loadLook, REPLAY_MODE } from './replay';

// `chaosdeck export <recording> --asciicast out.cast`: the deck's own frames,
// drawn by the real App on a virtual terminal of the recording's size, as an
// asciicast v2 file that `asciinema play` and `asciinema cat` accept. Colours
// follow the terminal export runs in; set FORCE_COLOR=3 to keep them in CI.

/** A TTY-like stdout of a fixed size that keeps the last frame Ink wrote. */
class FrameTerminal extends EventEmitter {
  readonly isTTY = true;
  last = '';
  constructor(readonly columns: number, readonly rows: number) {
    super();
  }
  write = (chunk: string | Uint8Array) => {
    this.last = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
}

/** A stdin that never has a key: the export presses none. */
class SilentInput extends EventEmitter {
  readonly isTTY = true;
  setEncoding() {}
  setRawMode() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
  read = () => null;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Mounts the deck (read-only, REPLAY badge) on a virtual terminal; `draw` shows a state and returns its rows. */
export function createDeckFrameRenderer(look: Look, size: TerminalSize): FrameRenderer {
  const store = createViewStore();
  const stdout = new FrameTerminal(size.columns, size.rows);
  const app = createElement(App, { run: { store, mode: REPLAY_MODE, isAudience: false }, onExit: () => undefined });
  // Debug mode writes each frame whole and unthrottled, in CI too (where Ink otherwise writes only the last frame).
  const instance = render(createElement(LookProvider, { look, children: app }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new SilentInput() as unknown as NodeJS.ReadStream,
    stderr: new FrameTerminal(size.columns, size.rows) as unknown as NodeJS.WriteStream,
    debug: true,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  return {
    async draw(state: ViewState) {
      store.reset(state);
      store.flush();
      await nextTurn();
      return stdout.last.split('\n').slice(0, size.rows);
    },
    close() {
      instance.unmount();
      instance.cleanup();
    },
  };
}

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'export a recording as an asciicast (asciinema) of the deck',
  usage: 'chaosdeck export <recording.jsonl> --asciicast out.cast [--size 120x36] [--fps 10] [--theme t]\n\n'
    + 'Draws the deck\'s own frames for the whole recording and writes asciicast v2, with a marker\n'
    + 'at each phase. Play it with `asciinema play out.cast`.',
  options: {
    asciicast: { type: 'string' },
    size: { type: 'string' },
    fps: { type: 'string' },
    theme: { type: 'string' },
    title: { type: 'string' },
  },
  optionHelp: {
    asciicast: 'the .cast file to write',
    size: 'terminal size COLUMNSxROWS (default: the recording\'s)',
    fps: 'most frames per second of run time (default 10)',
    theme: 'dark | light | high-contrast | mono',
    title: 'the cast\'s title (default: scenario and environment)',
  },
  async run(args, io) {
    const file = args.positionals[0];
    const out = args.values.asciicast;
    if (!file || typeof out !== 'string') {
      io.stderr.write('chaosdeck export: usage: chaosdeck export <recording.jsonl> --asciicast out.cast\n');
      return ExitCode.usage;
    }
    const size = args.values.size === undefined ? undefined : parseTerminalSize(String(args.values.size));
    if (args.values.size !== undefined && !size) {
      io.stderr.write(`chaosdeck export: --size wants COLUMNSxROWS such as 120x36, got '${String(args.values.size)}'\n`);
      return ExitCode.usage;
    }
    const fps = args.values.fps === undefined ? 10 : Number(args.values.fps);
    if (!Number.isFinite(fps) || fps <= 0 || fps > 60) {
      io.stderr.write(`chaosdeck export: --fps wants a number from 1 to 60, got '${String(args.values.fps)}'\n`);
      return ExitCode.usage;
    }
    const opened = await openRecording(resolve(io.cwd, file));
    const { description } = await opened.loaded;
    if (description) io.stderr.write(`chaosdeck export: the recording stops early; exporting up to ${description}\n`);
    const look = await loadLook(args.values.theme as string | undefined, io.env);
    const target = resolve(io.cwd, out);
    mkdirSync(dirname(target), { recursive: true });
    const fd = openSync(target, 'w');
    let result;
    try {
      result = await writeAsciicast({
        timeline: opened.timeline,
        header: opened.header,
        renderer: createDeckFrameRenderer(look, size ?? opened.header.terminal),
        write: (line) => writeSync(fd, `${line}\n`),
        fps,
        ...(size ? { size } : {}),
        ...(typeof args.values.title === 'string' ? { title: args.values.title } : {}),
      });
    } finally {
      closeSync(fd);
    }
    io.stderr.write(`exported ${result.frames} frames, ${result.markers} phase markers, ${result.duration.toFixed(1)} s: ${relative(io.cwd, target) || target}\n`);
    return ExitCode.ok;
  },
};
