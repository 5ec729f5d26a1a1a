import { createReadStream, existsSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DeckError } from '../engine/errors';
import { DeckEventSchema, type DeckEvent } from '../engine/events';
import { RECORDING_FORMAT, RecordingHeaderSchema, type RecordingHeader } from './format';

// Reads a recording back, validating every line with the event schema on the
// way in. A recording cut short by a crash, or damaged later, loads up to the
// first bad line; that line is named `file:LINE: what is wrong` so a presenter
// knows how much of the story is left. Reading streams in batches and yields
// between them, so a one-hour recording shows its first frame at once.

/** The first line that could not be read, and why. */
export interface RecordingProblem {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  readonly message: string;
}

/** `file:LINE: message`, the way compilers name a place. */
export function describeProblem(problem: RecordingProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/** A recording as read. */
export interface Recording {
  readonly file: string;
  readonly header: RecordingHeader;
  /** Every event up to the end, or up to the bad line. */
  readonly events: readonly DeckEvent[];
  /** Set when reading stopped before the end of the file. */
  readonly problem: RecordingProblem | null;
}

/** Callbacks for reading progressively. */
export interface ReadOptions {
  /** Called once, when the header has been read. */
  readonly onHeader?: (header: RecordingHeader) => void;
  /** Called with each batch of valid events, in order; the reader yields to the event loop after each. */
  readonly onBatch?: (events: readonly DeckEvent[]) => void;
  /** Events per batch (default 4,000). */
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
}

type LineResult = { readonly event: DeckEvent } | { readonly message: string };

function describeIssues(value: unknown, issues: readonly { path: PropertyKey[]; message: string }[]): string {
  const type = value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string' ? `'${(value as { type: string }).type}' ` : '';
  const first = issues[0];
  const where = first && first.path.length > 0 ? `${first.path.map(String).join('.')}: ` : '';
  return `not a valid ${type}event: ${where}${first?.message ?? 'invalid'}`;
}

function parseEvent(text: string, isLast: boolean): LineResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { message: isLast ? `truncated: the recording ends in the middle of an event (${reason})` : `not JSON (${reason})` };
  }
  const parsed = DeckEventSchema.safeParse(value);
  return parsed.success ? { event: parsed.data } : { message: describeIssues(value, parsed.error.issues) };
}

function parseHeader(text: string, file: string): RecordingHeader {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DeckError('RECORDING_INVALID', `${file}:1: not a chaosdeck recording (the first line is not JSON)`);
  }
  const parsed = RecordingHeaderSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const format = value && typeof value === 'object' ? (value as { format?: unknown }).format : undefined;
  if (format !== RECORDING_FORMAT) {
    throw new DeckError('RECORDING_INVALID', `${file}:1: not a chaosdeck recording (the header's format is ${JSON.stringify(format ?? null)}, expected "${RECORDING_FORMAT}")`);
  }
  const issue = parsed.error.issues[0];
  throw new DeckError('RECORDING_INVALID', `${file}:1: bad recording header: ${issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : 'invalid'}`);
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reads a recording. Throws RECORDING_INVALID when the header is missing or is
 * not a chaosdeck header, FILE_NOT_FOUND when there is no file; any later bad
 * line ends the read and is returned as `problem` with the events before it.
 */
export async function readRecording(file: string, options: ReadOptions = {}): Promise<Recording> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new DeckError('FILE_NOT_FOUND', `no recording at ${file}`);
  const batchSize = options.batchSize ?? 4_000;
  const events: DeckEvent[] = [];
  let header: RecordingHeader | null = null;
  let problem: RecordingProblem | null = null;
  let lineNumber = 0;
  let lastT = 0;
  let batch: DeckEvent[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const done = batch;
    batch = [];
    options.onBatch?.(done);
    await nextTurn();
  };

  // Returns false once reading must stop.
  const take = (text: string, isLast: boolean): boolean => {
    lineNumber++;
    if (header === null) {
      if (text.trim() === '') throw new DeckError('RECORDING_INVALID', `${file}:1: empty recording: no header`);
      header = parseHeader(text, file);
      options.onHeader?.(header);
      return true;
    }
    if (text.trim() === '') return true;
    const result = parseEvent(text, isLast);
    if ('message' in result) {
      problem = { file, line: lineNumber, message: result.message };
      return false;
    }
    if (result.event.t < lastT) {
      problem = { file, line: lineNumber, message: `time runs backwards (t=${result.event.t} after t=${lastT})` };
      return false;
    }
    lastT = result.event.t;
    events.push(result.event);
    batch.push(result.event);
    return true;
  };

  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    reading: for await (const chunk of stream) {
      if (options.signal?.aborted) break;
      const text = rest + decoder.write(chunk as Buffer);
      let start = 0;
      for (let end = text.indexOf('\n', start); end >= 0; end = text.indexOf('\n', start)) {
        const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
        start = end + 1;
        if (!take(line, false)) break reading;
        if (batch.length >= batchSize) await flush();
      }
      rest = text.slice(start);
    }
    if (!problem && !options.signal?.aborted) {
      const last = rest + decoder.end();
      if (last.trim() !== '') take(last, true);
    }
  } finally {
    stream.destroy();
  }
  await flush();
  if (header === null) throw new DeckError('RECORDING_INVALID', `${file}:1: empty recording: no header`);
  return { file, header, events, problem };
}
