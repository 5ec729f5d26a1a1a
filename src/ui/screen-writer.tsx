import { renderToString, Text, type TextProps } from 'ink';
import { createContext, useContext } from 'react';

// A way around Ink for one thing: the header's clock. Ink rebuilds its whole
// frame (every cell of the terminal) on any change, 11–20 ms at 160×48, so a
// clock redrawn through React costs a frame a second on an idle deck. The
// clock's cells are instead written in place (cursor saved and restored
// around them), and Ink, whose own copy of that line did not change, leaves
// them alone. Only a real terminal mounted by mountDeck provides a writer;
// without one the header re-renders on each tick as before.

/** The text styles a painted cell can have (those of Ink's Text). */
export type CellStyle = Pick<TextProps, 'color' | 'backgroundColor' | 'bold' | 'italic' | 'underline' | 'inverse' | 'dimColor'>;

/** Writes text at a screen position, outside Ink's frames. */
export interface ScreenWriter {
  /**
   * Writes `text` in `style` at row, column (0-based) and puts the cursor back.
   * Call it from a timer, never while React renders (it renders the style with Ink).
   */
  writeAt(row: number, column: number, text: string, style: CellStyle): void;
}

/** The writer of the terminal the deck is mounted on; null in tests and non-TTY output. */
export const ScreenWriterContext = createContext<ScreenWriter | null>(null);

/** The screen writer, or null when the deck must draw everything through Ink. */
export function useScreenWriter(): ScreenWriter | null {
  return useContext(ScreenWriterContext);
}

const MARKER = 'X';

/** A writer over a stream: DECSC, cursor position, styled text, DECRC, in one write. */
export function streamWriter(stream: { write(chunk: string): unknown }): ScreenWriter {
  // The SGR codes Ink puts around text in a style, so a painted cell matches the frame around it.
  const affixes = new WeakMap<CellStyle, readonly [string, string]>();
  const affixesOf = (style: CellStyle): readonly [string, string] => {
    let found = affixes.get(style);
    if (!found) {
      const styled = renderToString(<Text {...style}>{MARKER}</Text>);
      const at = styled.indexOf(MARKER);
      found = at < 0 ? ['', ''] : [styled.slice(0, at), styled.slice(at + MARKER.length)];
      affixes.set(style, found);
    }
    return found;
  };
  return {
    writeAt(row, column, text, style) {
      const [open, close] = affixesOf(style);
      stream.write(`\x1b7\x1b[${row + 1};${column + 1}H${open}${text}${close}\x1b8`);
    },
  };
}
