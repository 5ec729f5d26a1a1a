import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { EventOf, EventSink } from '../engine/events';
import { messageOf } from '../engine/errors';
import { redactDeep, type Redactor } from '../engine/redact';
import { RECORDING_FORMAT, RECORDING_VERSION, type RecordingHeader, type TerminalSize } from './format';

// Writes a run's stream to disk as it happens: one synchronous write per event,
// so a crash, Ctrl+C or kill -9 keeps every event emitted before it. The bus
// has already masked secrets; the recorder masks again with the environment's
// own secret values (keys included) so nothing secret reaches the file even
// when a caller's bus was built without them.

/** The folder recordings go to, under the working directory, by default. */
export const DEFAULT_RECORDINGS_DIR = 'recordings';

/** How a recorder is set up. */
export interface RecorderOptions {
  /** A `.jsonl` file, or a directory to put `<runId>.jsonl` in. */
  readonly target: string;
  readonly cwd: string;
  readonly terminal: TerminalSize;
  readonly chaosdeckVersion: string;
  readonly redact: Redactor;
}

/** A recorder: a sink for the bus and a close. */
export interface Recorder {
  readonly sink: EventSink;
  /** The file being written, once `run.started` has arrived. */
  path(): string | null;
  /** Events written so far (the header not counted). */
  eventsWritten(): number;
  /** The first write error, if writing stopped. */
  failure(): Error | null;
  /** Flushes to disk and closes the file. Safe to call twice. */
  close(): void;
}

/** Whether a `--record` value names a file rather than a directory. */
export function isRecordingFile(target: string): boolean {
  if (existsSync(target)) return statSync(target).isFile();
  return !/[/\\]$/.test(target) && extname(target) !== '';
}

/** A file name that does not exist yet: `<base>.jsonl`, else `<base>-2.jsonl`, … */
function freshPath(dir: string, base: string): string {
  let candidate = join(dir, `${base}.jsonl`);
  for (let n = 2; existsSync(candidate); n++) candidate = join(dir, `${base}-${n}.jsonl`);
  return candidate;
}

/** The header for a run, from its `run.started` event. */
export function headerFor(started: EventOf<'run.started'>, terminal: TerminalSize, chaosdeckVersion: string): RecordingHeader {
  const { scenario } = started;
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    runId: started.runId,
    scenario: { id: scenario.id, title: scenario.title, ...(scenario.pack ? { pack: scenario.pack } : {}) },
    environment: started.environment,
    mode: started.mode,
    terminal,
    chaosdeckVersion,
    startedAt: started.startedAt,
  };
}

/** Creates a recorder; the file is created when `run.started` arrives (its run id names the file). */
export function createRecorder(options: RecorderOptions): Recorder {
  const { redact } = options;
  let fd: number | null = null;
  let file: string | null = null;
  let written = 0;
  let error: Error | null = null;
  let isClosed = false;

  const writeLine = (value: unknown) => {
    const bytes = Buffer.from(`${JSON.stringify(redactDeep(value, redact, { keys: true }))}\n`, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd!, bytes, offset);
  };

  const open = (started: EventOf<'run.started'>) => {
    const target = resolve(options.cwd, options.target);
    if (isRecordingFile(target)) {
      mkdirSync(dirname(target), { recursive: true });
      file = target;
      fd = openSync(file, 'w', 0o600);
    } else {
      mkdirSync(target, { recursive: true });
      file = freshPath(target, started.runId);
      fd = openSync(file, 'wx', 0o600);
    }
    writeLine(headerFor(started, options.terminal, options.chaosdeckVersion));
  };

  const sink: EventSink = (event) => {
    if (isClosed || error) return;
    try {
      if (fd === null) {
        // The bus emits run.started first; a sink attached later starts at the next run.
        if (event.type !== 'run.started') return;
        open(event);
      }
      writeLine(event);
      written++;
    } catch (cause) {
      error = new Error(`recording stopped: ${messageOf(cause)}`, { cause });
    }
  };

  return {
    sink,
    path: () => file,
    eventsWritten: () => written,
    failure: () => error,
    close() {
      if (isClosed) return;
      isClosed = true;
      if (fd === null) return;
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}
