// Small formatters shared by the panes. Pure, so tests pin their output.

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A clock for elapsed time: `0:42`, `12:05`, `1:02:03`. Negative input reads as zero. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad2(minutes)}:${pad2(seconds)}` : `${minutes}:${pad2(seconds)}`;
}

/** A duration the way a presenter reads it: `85ms`, `1.2s`, `2m05s`, `1h02m`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${pad2(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h${pad2(Math.floor((seconds % 3600) / 60))}m`;
}

/** An age in the largest whole unit, as k9s shows it: `5s`, `3m`, `2h`, `4d`. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** A latency: `87ms`, `1.24s`. */
export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

/** A fraction 0..1 as a percentage with one decimal below 10 %: `0.4%`, `12%`. */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  if (percent === 0) return '0%';
  return percent < 10 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}

// CSI/OSC sequences and C0/C1 controls. A log line or command output is
// untrusted text: an escape in it would move the cursor or recolour the deck.
// eslint-disable-next-line no-control-regex
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Strips escape sequences and control characters; tabs become spaces. */
export function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = /[\x00-\x1f\x7f-\x9f]/.test(text) ? text.replace(/\t/g, '  ').replace(CONTROL, '') : text;
  return clean;
}

/** Cuts `text` to `width` columns, ending in `ellipsis` when cut. */
export function truncate(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  if (width <= ellipsis.length) return chars.slice(0, width).join('');
  return chars.slice(0, width - Array.from(ellipsis).length).join('') + ellipsis;
}

/** Pads or cuts `text` to exactly `width` columns. */
export function fit(text: string, width: number, ellipsis = '…'): string {
  const cut = truncate(text, width, ellipsis);
  const length = Array.from(cut).length;
  return length < width ? cut + ' '.repeat(width - length) : cut;
}

/** Splits `text` into rows of at most `width` columns (hard wrap, as a log viewer does). */
export function hardWrap(text: string, width: number): string[] {
  if (width <= 0) return [''];
  const chars = Array.from(text);
  if (chars.length <= width) return [text];
  const rows: string[] = [];
  for (let i = 0; i < chars.length; i += width) rows.push(chars.slice(i, i + width).join(''));
  return rows;
}
