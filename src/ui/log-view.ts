import type { LogLineView } from '../engine/view-state';
import { hardWrap, sanitize } from './format';

// What the logs pane draws, computed from the ring buffer without touching
// more of it than the window needs: walking back from the end (or from the
// line the presenter paused on) until the pane's rows are full.

/** Why a line stands out. */
export type LogKind = 'error' | 'retry' | 'breaker' | null;

const BREAKER = /circuit.?breaker|\bbreaker\b|\bbackendCB\b|\bHALF_OPEN\b|\bstate (?:changed|transition)|\bfrom (?:CLOSED|OPEN|HALF_OPEN) to\b/i;
const RETRY = /\bretr(?:y|ying|ied|ies)\b|\bbackoff\b|\bbackendRetry\b|\battempt \d+/i;
const ERROR = /\b(?:error|err|exception|fatal|panic|failed|failure|refused|unreachable|timed? ?out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|5\d\d)\b|\bOOM|out of memory/i;

/** Classifies a line for highlighting: breaker lines first, then errors, then retries. */
export function classifyLogLine(text: string): LogKind {
  if (BREAKER.test(text)) return 'breaker';
  if (ERROR.test(text)) return 'error';
  if (RETRY.test(text)) return 'retry';
  return null;
}

/** A compiled `/` filter; a pattern that is not a valid regex matches literally and says so. */
export interface LogFilter {
  readonly pattern: string;
  readonly test: (text: string) => boolean;
  /** Set when the pattern was not a valid regular expression. */
  readonly error?: string;
}

/** Compiles a filter. Smart case: all-lowercase patterns ignore case, as in less and vim. */
export function compileLogFilter(pattern: string): LogFilter | null {
  if (pattern === '') return null;
  const flags = pattern === pattern.toLowerCase() ? 'i' : '';
  try {
    const regex = new RegExp(pattern, flags);
    return { pattern, test: (text) => regex.test(text) };
  } catch (error) {
    const needle = flags ? pattern.toLowerCase() : pattern;
    return { pattern, test: (text) => (flags ? text.toLowerCase() : text).includes(needle), error: (error as Error).message };
  }
}

/** A line as the pane shows it: who said it, what, and when. */
export interface ShownLine {
  /** The service in the line's `[name]` prefix (a merged tail like the lab's), else the source. */
  readonly label: string;
  /** The text without that prefix and without a leading ISO-8601 timestamp (the t key shows time). */
  readonly text: string;
  /** Wall-clock ms: the source's own, else the timestamp taken off the text. */
  readonly ts?: number;
}

const SERVICE_PREFIX = /^\[([A-Za-z0-9_.:-]{1,24})\] /;
const ISO_TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?)\s+/;
const shownCache = new WeakMap<LogLineView, ShownLine>();

/**
 * What the pane draws for a line (cached per line: the ring buffer's lines
 * never change). At 80 columns `lab-logs [api-1] 2026-11-23T02:06:21.718Z`
 * left no room for the message; `api-1` and the message say the same.
 */
export function shownLine(line: LogLineView): ShownLine {
  let shown = shownCache.get(line);
  if (shown) return shown;
  let text = sanitize(line.text);
  let label = line.source;
  const service = SERVICE_PREFIX.exec(text);
  if (service) {
    label = service[1]!;
    text = text.slice(service[0].length);
  }
  let ts = line.ts;
  const stamp = ISO_TIMESTAMP.exec(text);
  if (stamp) {
    const parsed = Date.parse(stamp[1]!.replace(',', '.'));
    if (Number.isFinite(parsed)) {
      ts ??= parsed;
      text = text.slice(stamp[0].length);
    }
  }
  shown = { label, text, ...(ts !== undefined ? { ts } : {}) };
  shownCache.set(line, shown);
  return shown;
}

/** One row of the logs pane. */
export interface LogRow {
  /** The line this row belongs to; continuation rows of a wrapped line share it. */
  readonly line: LogLineView;
  /** Who said it (see shownLine). */
  readonly label: string;
  /** When, in wall-clock ms, if known. */
  readonly ts?: number;
  readonly text: string;
  readonly isContinuation: boolean;
  readonly kind: LogKind;
}

/** What to show. */
export interface LogWindowInput {
  readonly lines: readonly LogLineView[];
  /** Rows available. */
  readonly height: number;
  /** Columns available for the text after the prefix. */
  readonly width: number;
  readonly isWrapped: boolean;
  readonly filter: LogFilter | null;
  /** When paused: the last line to show. Null follows the newest line. */
  readonly anchor: LogLineView | null;
}

/** The visible rows, oldest first, and whether the paused anchor has left the buffer. */
export interface LogWindow {
  readonly rows: readonly LogRow[];
  readonly isAnchorLost: boolean;
  /** Lines that match the filter in the part of the buffer looked at (capped at the window). */
  readonly matched: number;
}

/** Selects the rows to draw. Costs O(rows) when following, O(buffer) at worst with a sparse filter. */
export function selectLogWindow({ lines, height, width, isWrapped, filter, anchor }: LogWindowInput): LogWindow {
  let end = lines.length - 1;
  let isAnchorLost = false;
  if (anchor) {
    end = lines.lastIndexOf(anchor);
    if (end < 0) {
      isAnchorLost = true;
      end = Math.min(lines.length - 1, height - 1);
    }
  }
  const rows: LogRow[] = [];
  let matched = 0;
  for (let i = end; i >= 0 && rows.length < height; i--) {
    const line = lines[i]!;
    const shown = shownLine(line);
    const text = shown.text;
    if (filter && !filter.test(text)) continue;
    matched++;
    const kind = classifyLogLine(text);
    const parts = isWrapped ? hardWrap(text, width) : [text];
    for (let p = parts.length - 1; p >= 0 && rows.length < height; p--) {
      rows.push({ line, label: shown.label, ...(shown.ts !== undefined ? { ts: shown.ts } : {}), text: parts[p]!, isContinuation: p > 0, kind });
    }
  }
  rows.reverse();
  return { rows, isAnchorLost, matched };
}

/** A stable colour slot for a source name, so a source keeps its colour as others come and go. */
export function sourceSlot(source: string, slots: number): number {
  let hash = 0;
  for (let i = 0; i < source.length; i++) hash = (hash * 31 + source.charCodeAt(i)) >>> 0;
  return slots > 0 ? hash % slots : 0;
}

/** `HH:MM:SS.mmm` in local time, for the timestamp column. */
export function formatTimestamp(wallMs: number): string {
  const d = new Date(wallMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
