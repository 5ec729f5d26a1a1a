import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../src/ui/markdown';
import { wrapRuns } from '../../src/ui/wrap';

describe('parseInline', () => {
  it.each([
    ['plain text', [{ text: 'plain text', style: 'plain' }]],
    ['a **bold** word', [{ text: 'a ', style: 'plain' }, { text: 'bold', style: 'strong' }, { text: ' word', style: 'plain' }]],
    ['an *emphasised* word', [{ text: 'an ', style: 'plain' }, { text: 'emphasised', style: 'emphasis' }, { text: ' word', style: 'plain' }]],
    ['_also_ emphasis', [{ text: 'also', style: 'emphasis' }, { text: ' emphasis', style: 'plain' }]],
    ['run `kubectl get pods` now', [{ text: 'run ', style: 'plain' }, { text: 'kubectl get pods', style: 'code' }, { text: ' now', style: 'plain' }]],
    ['snake_case_name stays', [{ text: 'snake_case_name stays', style: 'plain' }]],
    ['`**not bold**` in code', [{ text: '**not bold**', style: 'code' }, { text: ' in code', style: 'plain' }]],
    ['an *unclosed marker', [{ text: 'an *unclosed marker', style: 'plain' }]],
  ])('%j', (source, spans) => {
    expect(parseInline(source)).toEqual(spans);
  });
});

describe('parseMarkdown', () => {
  it.each([
    ['# Title', [{ kind: 'heading', level: 1, spans: [{ text: 'Title', style: 'plain' }] }]],
    ['### Deep ###', [{ kind: 'heading', level: 3, spans: [{ text: 'Deep', style: 'plain' }] }]],
    ['one\ntwo', [{ kind: 'paragraph', spans: [{ text: 'one two', style: 'plain' }] }]],
    ['a\n\nb', [{ kind: 'paragraph', spans: [{ text: 'a', style: 'plain' }] }, { kind: 'blank' }, { kind: 'paragraph', spans: [{ text: 'b', style: 'plain' }] }]],
    ['- x\n  - y', [{ kind: 'item', marker: '•', depth: 0, spans: [{ text: 'x', style: 'plain' }] }, { kind: 'item', marker: '•', depth: 1, spans: [{ text: 'y', style: 'plain' }] }]],
    ['1. first\n2) second', [{ kind: 'item', marker: '1.', depth: 0, spans: [{ text: 'first', style: 'plain' }] }, { kind: 'item', marker: '2.', depth: 0, spans: [{ text: 'second', style: 'plain' }] }]],
    ['```sh\nkubectl get pods\n  -w\n```', [{ kind: 'code', language: 'sh', lines: ['kubectl get pods', '  -w'] }]],
    ['> quoted', [{ kind: 'quote', spans: [{ text: 'quoted', style: 'plain' }] }]],
    ['- item\n  continued', [{ kind: 'item', marker: '•', depth: 0, spans: [{ text: 'item continued', style: 'plain' }] }]],
    ['\n\ntext\n\n', [{ kind: 'paragraph', spans: [{ text: 'text', style: 'plain' }] }]],
  ])('%j', (source, blocks) => {
    expect(parseMarkdown(source)).toEqual(blocks);
  });
});

describe('wrapRuns', () => {
  const plainRuns = (text: string) => [{ text, style: 'p' }];
  const texts = (lines: { text: string }[][]) => lines.map((line) => line.map((r) => r.text).join(''));
  it.each([
    { name: 'drops the space at a break when a line fills exactly', text: 'abcd efgh ij', width: 4, lines: ['abcd', 'efgh', 'ij'] },
    { name: 'keeps words together', text: 'the breaker opens fast', width: 12, lines: ['the breaker', 'opens fast'] },
    { name: 'splits a word longer than a line', text: 'abcdefghij k', width: 4, lines: ['abcd', 'efgh', 'ij k'] },
    { name: 'honours newlines', text: 'one\ntwo three', width: 20, lines: ['one', 'two three'] },
    { name: 'empty text is one empty line', text: '', width: 5, lines: [''] },
  ])('$name', ({ text, width, lines }) => {
    const wrapped = wrapRuns(plainRuns(text), width);
    expect(texts(wrapped)).toEqual(lines);
    for (const line of texts(wrapped)) {
      expect(line.startsWith(' ')).toBe(false);
      expect(line.length).toBeLessThanOrEqual(width);
    }
  });

  it('keeps each run\'s style across breaks', () => {
    const wrapped = wrapRuns([{ text: 'Hypothesis: ', style: 'muted' }, { text: 'the shop keeps answering', style: 'emphasis' }], 16);
    expect(wrapped).toEqual([
      [{ text: 'Hypothesis: ', style: 'muted' }, { text: 'the', style: 'emphasis' }],
      [{ text: 'shop keeps', style: 'emphasis' }],
      [{ text: 'answering', style: 'emphasis' }],
    ]);
  });
});
