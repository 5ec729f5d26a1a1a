// ANSI colours for the headless timeline: on for terminals, off for pipes and
// NO_COLOR, forced with FORCE_COLOR.

/** Wraps text in a colour, or not. */
export type Paint = (text: string) => string;

/** The colour roles the timeline uses. */
export interface Palette {
  readonly dim: Paint;
  readonly bold: Paint;
  readonly ok: Paint;
  readonly warn: Paint;
  readonly error: Paint;
  readonly info: Paint;
  readonly accent: Paint;
  readonly phase: Record<'baseline' | 'inject' | 'observe' | 'restore', Paint>;
}

const code = (open: number, close: number): Paint => (text) => `\u001B[${open}m${text}\u001B[${close}m`;
const plain: Paint = (text) => text;

/** Whether to colour output for a stream and environment. */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

/** A palette, coloured or plain. */
export function palette(isColor: boolean): Palette {
  const c = (open: number, close = 39) => (isColor ? code(open, close) : plain);
  return {
    dim: isColor ? code(2, 22) : plain,
    bold: isColor ? code(1, 22) : plain,
    ok: c(32),
    warn: c(33),
    error: c(31),
    info: c(36),
    accent: c(35),
    phase: { baseline: c(34), inject: c(31), observe: c(33), restore: c(32) },
  };
}
