// Word wrap for styled text, done before Ink sees it. Ink wraps with
// wrap-ansi's `trim: false`, so when a line fills the width exactly the space
// after it starts the next line: paragraphs on the projector get a ragged
// one-space indent (" its failure threshold…"). Wrapping here drops the space
// at each break, and each line then goes to Ink as a row of its own.

/** A run of text in one style (the style is opaque here). */
export interface StyledRun<S> {
  readonly text: string;
  readonly style: S;
}

/** Terminal cells a string takes: one per code point (notes are Latin text and box glyphs). */
export function cellWidth(text: string): number {
  return Array.from(text).length;
}

/**
 * Greedy word wrap of styled runs into lines of at most `width` cells. Spaces
 * at a break are dropped; a word longer than a line is split hard; newlines
 * in the text force a break. Always returns at least one (possibly empty) line.
 */
export function wrapRuns<S>(runs: readonly StyledRun<S>[], width: number): StyledRun<S>[][] {
  const limit = Math.max(1, width);
  const lines: StyledRun<S>[][] = [[]];
  let used = 0;
  let pendingSpace: StyledRun<S> | null = null;
  const append = (text: string, style: S) => {
    const line = lines[lines.length - 1]!;
    const last = line[line.length - 1];
    if (last && last.style === style) line[line.length - 1] = { text: last.text + text, style };
    else line.push({ text, style });
    used += cellWidth(text);
  };
  const breakLine = () => {
    lines.push([]);
    used = 0;
    pendingSpace = null;
  };
  for (const run of runs) {
    for (const token of run.text.split(/(\n| +)/)) {
      if (token === '') continue;
      if (token === '\n') {
        breakLine();
        continue;
      }
      if (token.startsWith(' ')) {
        if (used > 0) pendingSpace = { text: token, style: run.style };
        continue;
      }
      let word = token;
      const spaceWidth = pendingSpace ? cellWidth(pendingSpace.text) : 0;
      if (used > 0 && used + spaceWidth + cellWidth(word) > limit) breakLine();
      if (pendingSpace && used > 0) append(pendingSpace.text, pendingSpace.style);
      pendingSpace = null;
      while (cellWidth(word) > limit - used) {
        const room = limit - used;
        if (room <= 0) {
          breakLine();
          continue;
        }
        const chars = Array.from(word);
        append(chars.slice(0, room).join(''), run.style);
        word = chars.slice(room).join('');
        breakLine();
      }
      if (word) append(word, run.style);
    }
  }
  return lines;
}
