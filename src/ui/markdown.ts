// The small part of Markdown that step notes use: headings, paragraphs,
// bullet and numbered lists, fenced code, block quotes, and inline emphasis,
// strong and code. Parsed to plain data so rendering and tests are separate.

/** A run of inline text with one style. */
export interface Span {
  readonly text: string;
  readonly style: 'plain' | 'emphasis' | 'strong' | 'code';
}

/** One block of a note. */
export type Block =
  | { readonly kind: 'heading'; readonly level: number; readonly spans: readonly Span[] }
  | { readonly kind: 'paragraph'; readonly spans: readonly Span[] }
  | { readonly kind: 'item'; readonly marker: string; readonly depth: number; readonly spans: readonly Span[] }
  | { readonly kind: 'quote'; readonly spans: readonly Span[] }
  | { readonly kind: 'code'; readonly language: string; readonly lines: readonly string[] }
  | { readonly kind: 'blank' };

const INLINE = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+?)\*\*|__([^_]+?)__|\*([^*\s][^*]*?)\*|(?<![A-Za-z0-9])_([^_\s][^_]*?)_(?![A-Za-z0-9])/g;

/** Splits inline Markdown into styled spans. Unclosed markers stay literal. */
export function parseInline(text: string): Span[] {
  const spans: Span[] = [];
  let last = 0;
  const push = (span: Span) => {
    const previous = spans[spans.length - 1];
    if (previous && previous.style === span.style) spans[spans.length - 1] = { text: previous.text + span.text, style: span.style };
    else if (span.text) spans.push(span);
  };
  for (const match of text.matchAll(INLINE)) {
    const index = match.index ?? 0;
    if (index > last) push({ text: text.slice(last, index), style: 'plain' });
    if (match[2] !== undefined) push({ text: match[2].trim() || match[2], style: 'code' });
    else if (match[3] !== undefined || match[4] !== undefined) push({ text: (match[3] ?? match[4])!, style: 'strong' });
    else push({ text: (match[5] ?? match[6])!, style: 'emphasis' });
    last = index + match[0].length;
  }
  if (last < text.length) push({ text: text.slice(last), style: 'plain' });
  return spans;
}

function mergeSpans(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last && last.style === span.style) out[out.length - 1] = { text: last.text + span.text, style: span.style };
    else out.push(span);
  }
  return out;
}

/** Parses a note into blocks. Consecutive paragraph lines join with a space, as Markdown does. */
export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', spans: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*(```|~~~)\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      endParagraph();
      const code: string[] = [];
      let j = i + 1;
      while (j < lines.length && !lines[j]!.trim().startsWith(fence[1]!)) code.push(lines[j++]!);
      blocks.push({ kind: 'code', language: fence[2] ?? '', lines: code });
      i = j;
      continue;
    }
    if (line.trim() === '') {
      endParagraph();
      if (blocks.length > 0 && blocks[blocks.length - 1]!.kind !== 'blank') blocks.push({ kind: 'blank' });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      endParagraph();
      blocks.push({ kind: 'heading', level: heading[1]!.length, spans: parseInline(heading[2]!) });
      continue;
    }
    const item = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      endParagraph();
      const marker = /\d/.test(item[2]!) ? item[2]!.replace(')', '.') : '•';
      blocks.push({ kind: 'item', marker, depth: Math.floor(item[1]!.replace(/\t/g, '  ').length / 2), spans: parseInline(item[3]!) });
      continue;
    }
    const quote = /^\s*>\s?(.*)$/.exec(line);
    if (quote) {
      endParagraph();
      blocks.push({ kind: 'quote', spans: parseInline(quote[1]!) });
      continue;
    }
    const previous = blocks[blocks.length - 1];
    if (paragraph.length === 0 && previous?.kind === 'item' && /^\s{2,}\S/.test(line)) {
      // A continuation line of a list item.
      blocks[blocks.length - 1] = { ...previous, spans: mergeSpans([...previous.spans, ...parseInline(` ${line.trim()}`)]) };
      continue;
    }
    paragraph.push(line.trim());
  }
  endParagraph();
  while (blocks.length > 0 && blocks[blocks.length - 1]!.kind === 'blank') blocks.pop();
  return blocks;
}
