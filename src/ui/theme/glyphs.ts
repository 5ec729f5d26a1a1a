// Box-drawing and block characters need a UTF-8 terminal; elsewhere (LANG=C,
// an old Windows console) they turn to mojibake on the projector, so every
// glyph the deck draws has an ASCII twin.

/** The characters panes draw with. */
export interface Glyphs {
  readonly isUnicode: boolean;
  /** Ink border style for panes. */
  readonly border: 'round' | 'classic';
  /** The horizontal rule in pane titles. */
  readonly rule: string;
  /** Sparkline levels, lowest first; index 0 is "no value". */
  readonly levels: readonly string[];
  readonly thresholdFill: string;
  readonly markers: { readonly inject: string; readonly restore: string; readonly halt: string };
  readonly check: { readonly met: string; readonly missed: string; readonly pending: string; readonly skipped: string };
  readonly step: { readonly done: string; readonly current: string; readonly failed: string; readonly pending: string; readonly skipped: string };
  readonly ellipsis: string;
  readonly bullet: string;
  readonly arrow: string;
}

export const UNICODE_GLYPHS: Glyphs = {
  isUnicode: true,
  border: 'round',
  rule: '─',
  levels: [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
  thresholdFill: '┄',
  markers: { inject: '▲', restore: '▼', halt: '■' },
  check: { met: '✓', missed: '✗', pending: '·', skipped: '-' },
  step: { done: '✓', current: '▶', failed: '✗', pending: '○', skipped: '-' },
  ellipsis: '…',
  bullet: '•',
  arrow: '→',
};

export const ASCII_GLYPHS: Glyphs = {
  isUnicode: false,
  border: 'classic',
  rule: '-',
  levels: [' ', '_', '.', '-', '~', '=', '+', '*', '#'],
  thresholdFill: '.',
  markers: { inject: '^', restore: 'v', halt: '!' },
  check: { met: 'v', missed: 'x', pending: '.', skipped: '-' },
  step: { done: '+', current: '>', failed: 'x', pending: 'o', skipped: '-' },
  ellipsis: '~',
  bullet: '*',
  arrow: '->',
};

/**
 * True when the locale says UTF-8. LC_ALL overrides LC_CTYPE overrides LANG
 * (POSIX); with none set we assume UTF-8, which every current terminal speaks.
 */
export function isUtf8Locale(env: NodeJS.ProcessEnv): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  if (!locale) return true;
  if (locale === 'C' || locale === 'POSIX') return false;
  return /utf-?8/i.test(locale);
}

/** The glyph set for an environment. */
export function glyphsFor(env: NodeJS.ProcessEnv): Glyphs {
  return isUtf8Locale(env) ? UNICODE_GLYPHS : ASCII_GLYPHS;
}
