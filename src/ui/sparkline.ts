import type { Glyphs } from './theme/glyphs';

// Latency drawn as text (issue 4: no chart library fits Ink 6): one column per
// sample, block characters stacked over `height` rows for 8×height levels,
// the part below p50 in its own role, columns over the threshold in another,
// the threshold itself as a dotted line through empty cells, and a row of
// inject/restore/halt markers under the columns where they happened.

/** A run of cells drawn in one role. */
export interface Segment {
  readonly text: string;
  readonly role: 'p95' | 'p50' | 'overThreshold' | 'threshold' | 'inject' | 'restore' | 'halt' | 'empty';
}

/** One point in time: the run time of the sample and its values. */
export interface ChartPoint {
  readonly t: number;
  readonly p95: number;
  readonly p50: number;
}

/** What to draw. */
export interface ChartInput {
  readonly points: readonly ChartPoint[];
  readonly markers?: readonly { readonly t: number; readonly kind: 'inject' | 'restore' | 'halt' }[];
  readonly width: number;
  readonly height: number;
  /** The scenario's p95 threshold, when it has one. */
  readonly threshold?: number;
  readonly glyphs: Pick<Glyphs, 'levels' | 'thresholdFill' | 'markers'>;
  /**
   * `linear` (default) from 0; `log` spans LOG_DECADES decades under the top,
   * so a baseline of a few ms stays readable next to a 500 ms threshold.
   */
  readonly scale?: 'linear' | 'log';
}

/** How many decades a log-scale chart shows below its top. */
export const LOG_DECADES = 3;

/** Rows of segments, top first, plus the marker row and the scale, for the axis labels. */
export interface Chart {
  readonly rows: readonly (readonly Segment[])[];
  readonly markerRow: readonly Segment[];
  /** The value at the top of the scale. */
  readonly max: number;
  /** The value at the bottom of the scale: 0 on a linear scale. */
  readonly min: number;
  /** The row (0 = top) the threshold line is drawn in; -1 without one. */
  readonly thresholdRow: number;
}

function pushCell(row: Segment[], text: string, role: Segment['role']) {
  const last = row[row.length - 1];
  if (last && last.role === role) row[row.length - 1] = { text: last.text + text, role };
  else row.push({ text, role });
}

/** A scale top that reads well on an axis: 1, 2 or 5 times a power of ten, at or above `value`. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/** Draws the chart. Right-aligned: the newest sample is the last column; empty columns pad the left. */
export function renderChart({ points, markers = [], width, height, threshold, glyphs, scale = 'linear' }: ChartInput): Chart {
  const steps = glyphs.levels.length - 1;
  const visible = width > 0 ? points.slice(Math.max(0, points.length - width)) : [];
  const peak = visible.reduce((m, p) => Math.max(m, p.p95, p.p50), 0);
  const max = niceMax(Math.max(peak, threshold !== undefined ? threshold * 1.25 : 0));
  const min = scale === 'log' ? max / 10 ** LOG_DECADES : 0;
  // The share of the chart's height a value reaches; anything above zero shows at least one level.
  const fraction = scale === 'log'
    ? (value: number) => Math.log(Math.max(value, min) / min) / Math.log(max / min)
    : (value: number) => value / max;
  const units = (value: number) => (value > 0 ? Math.max(1, Math.round(fraction(value) * height * steps)) : 0);
  const thresholdUnits = threshold !== undefined ? Math.min(height * steps - 1, Math.round(fraction(threshold) * height * steps)) : -1;
  const thresholdRow = thresholdUnits >= 0 ? Math.floor(thresholdUnits / steps) : -1;
  const pad = Math.max(0, width - visible.length);

  const rows: Segment[][] = [];
  for (let r = height - 1; r >= 0; r--) {
    const row: Segment[] = [];
    const emptyRole = r === thresholdRow ? 'threshold' : 'empty';
    const emptyChar = r === thresholdRow ? glyphs.thresholdFill : ' ';
    for (let i = 0; i < pad; i++) pushCell(row, emptyChar, emptyRole);
    for (const point of visible) {
      const cell = Math.min(steps, Math.max(0, units(point.p95) - r * steps));
      if (cell === 0) {
        pushCell(row, emptyChar, emptyRole);
        continue;
      }
      const isOver = threshold !== undefined && point.p95 > threshold;
      const isBelowMedian = (r + 1) * steps <= units(point.p50);
      pushCell(row, glyphs.levels[cell]!, isOver ? 'overThreshold' : isBelowMedian ? 'p50' : 'p95');
    }
    rows.push(row);
  }

  const markerCells: (Segment['role'] | null)[] = new Array(width).fill(null);
  if (visible.length > 0) {
    const first = visible[0]!.t;
    for (const marker of markers) {
      if (marker.t < first) continue;
      let column = visible.findIndex((p) => p.t >= marker.t);
      if (column < 0) column = visible.length - 1;
      markerCells[pad + column] = marker.kind;
    }
  }
  const markerRow: Segment[] = [];
  for (const cell of markerCells) pushCell(markerRow, cell ? glyphs.markers[cell as 'inject' | 'restore' | 'halt'] : ' ', cell ?? 'empty');
  return { rows, markerRow, max, min, thresholdRow: thresholdRow >= 0 ? height - 1 - thresholdRow : -1 };
}

/** Segments back to plain text, for tests and the ASCII snapshot in docs. */
export function segmentsText(segments: readonly Segment[]): string {
  return segments.map((s) => s.text).join('');
}
