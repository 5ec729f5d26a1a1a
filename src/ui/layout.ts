import type { PaneId } from './keymap';

// Where each pane goes for a terminal size, as plain numbers: the components
// draw exactly these rectangles, so a pane knows how many log rows or chart
// columns it has without measuring, and a test can check that the panes tile
// the screen at 80×24, 120×40 and 200×60.

/** The smallest terminal the deck lays out in. */
export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

/** A pane's rectangle, in cells, title row included. */
export interface PaneRect {
  readonly id: PaneId;
  readonly width: number;
  readonly height: number;
}

/** A column of panes, or a row of columns. */
export type LayoutNode =
  | ({ readonly kind: 'pane' } & PaneRect)
  | { readonly kind: 'row' | 'column'; readonly width: number; readonly height: number; readonly children: readonly LayoutNode[] };

/** The whole screen. */
export type DeckLayout =
  | { readonly kind: 'too-small'; readonly columns: number; readonly rows: number }
  | { readonly kind: 'deck'; readonly width: number; readonly height: number; readonly body: LayoutNode; readonly bodyHeight: number; readonly bannerRows: number };

/** What the layout depends on besides the size. */
export interface LayoutOptions {
  readonly zoomed?: PaneId | null;
  /** Rows the steps list needs (steps plus phase headings); the steps pane is no taller than this. */
  readonly stepRows?: number;
  /** Rows the halted banner or a verdict takes above the body. */
  readonly bannerRows?: number;
}

const pane = (id: PaneId, width: number, height: number): LayoutNode => ({ kind: 'pane', id, width, height });
const column = (width: number, height: number, children: LayoutNode[]): LayoutNode => ({ kind: 'column', width, height, children });
const row = (width: number, height: number, children: LayoutNode[]): LayoutNode => ({ kind: 'row', width, height, children });

/**
 * Splits `total` into parts proportional to `weights`, each at least its
 * minimum, summing exactly to `total` (the last flexible part takes the rest).
 */
export function split(total: number, parts: readonly { weight: number; min: number; max?: number }[]): number[] {
  const sizes = parts.map((p) => p.min);
  let left = total - sizes.reduce((a, b) => a + b, 0);
  const weight = parts.reduce((a, p) => a + p.weight, 0);
  if (left > 0 && weight > 0) {
    parts.forEach((p, i) => {
      const extra = Math.floor((left * p.weight) / weight);
      const capped = p.max !== undefined ? Math.min(extra, Math.max(0, p.max - sizes[i]!)) : extra;
      sizes[i]! += capped;
    });
    left = total - sizes.reduce((a, b) => a + b, 0);
    for (let i = parts.length - 1; left > 0 && i >= 0; i--) {
      const room = parts[i]!.max !== undefined ? Math.max(0, parts[i]!.max! - sizes[i]!) : left;
      const add = Math.min(room, left);
      sizes[i]! += add;
      left -= add;
    }
  }
  return sizes;
}

/**
 * Lays the deck out. The root is one row shorter than the terminal: when
 * Ink's output is as tall as the screen it clears and rewrites everything
 * every frame and skips incremental rendering (issue 4, measured).
 */
export function computeLayout(columns: number, rows: number, { zoomed = null, stepRows = 12, bannerRows = 0 }: LayoutOptions = {}): DeckLayout {
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return { kind: 'too-small', columns, rows };
  const width = columns;
  const height = rows - 1;
  // Header and footer take one row each.
  const bodyHeight = height - 2 - bannerRows;
  if (zoomed) return { kind: 'deck', width, height, bodyHeight, bannerRows, body: pane(zoomed, width, bodyHeight) };

  const gap = 1;
  const leftWidth = Math.min(72, Math.max(34, Math.floor(width * 0.4)));
  const rightWidth = width - leftWidth - gap;
  let left: LayoutNode;
  let right: LayoutNode;
  if (rightWidth >= 90 && bodyHeight >= 30) {
    // Wide: notes over steps on the left; status beside latency-over-breakers, then commands, then logs.
    const [notesHeight, stepsHeight] = split(bodyHeight, [{ weight: 3, min: 8 }, { weight: 1, min: 6, max: stepRows + 1 }]) as [number, number];
    left = column(leftWidth, bodyHeight, [pane('notes', leftWidth, notesHeight), pane('steps', leftWidth, stepsHeight)]);
    const [topHeight, commandsHeight, logsHeight] = split(bodyHeight, [{ weight: 2, min: 12, max: 20 }, { weight: 1, min: 6, max: 12 }, { weight: 4, min: 8 }]) as [number, number, number];
    const statusWidth = Math.floor((rightWidth - gap) * 0.45);
    const chartsWidth = rightWidth - gap - statusWidth;
    const [latencyHeight, breakersHeight] = split(topHeight, [{ weight: 3, min: 7 }, { weight: 2, min: 4 }]) as [number, number];
    right = column(rightWidth, bodyHeight, [
      row(rightWidth, topHeight, [
        pane('status', statusWidth, topHeight),
        column(chartsWidth, topHeight, [pane('latency', chartsWidth, latencyHeight), pane('breakers', chartsWidth, breakersHeight)]),
      ]),
      pane('commands', rightWidth, commandsHeight),
      pane('logs', rightWidth, logsHeight),
    ]);
  } else {
    // Narrow: notes, a compact steps list and breakers on the left; status, latency, commands, logs on the right.
    const compactSteps = Math.min(stepRows, 8);
    const [notesHeight, stepsHeight, breakersHeight] = split(bodyHeight, [
      { weight: 3, min: 8 }, { weight: 1, min: 4, max: compactSteps + 1 }, { weight: 1, min: 4, max: 6 },
    ]) as [number, number, number];
    left = column(leftWidth, bodyHeight, [pane('notes', leftWidth, notesHeight), pane('steps', leftWidth, stepsHeight), pane('breakers', leftWidth, breakersHeight)]);
    const [statusHeight, latencyHeight, commandsHeight, logsHeight] = split(bodyHeight, [
      { weight: 1, min: 6, max: 10 }, { weight: 1, min: 5, max: 9 }, { weight: 1, min: 4, max: 9 }, { weight: 3, min: 5 },
    ]) as [number, number, number, number];
    right = column(rightWidth, bodyHeight, [
      pane('status', rightWidth, statusHeight),
      pane('latency', rightWidth, latencyHeight),
      pane('commands', rightWidth, commandsHeight),
      pane('logs', rightWidth, logsHeight),
    ]);
  }
  return { kind: 'deck', width, height, bodyHeight, bannerRows, body: row(width, bodyHeight, [left, right]) };
}

/** Every pane rectangle in a layout node, in drawing order. */
export function panesOf(node: LayoutNode): PaneRect[] {
  return node.kind === 'pane' ? [node] : node.children.flatMap(panesOf);
}
