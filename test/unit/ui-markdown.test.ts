import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from '../../src/ui/markdown';

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
