import { describe, expect, it } from 'vitest';
import { selectLogWindow, shownLine } from '../../src/ui/log-view';

describe('shownLine: what the logs pane draws for a line', () => {
  it.each([
    { name: 'a merged tail: the service, without the ISO timestamp', source: 'lab-logs', text: "[api-1] 2026-11-23T02:06:21.718Z WARN Retry 'backendRetry' - Attempt #2", shown: { label: 'api-1', text: "WARN Retry 'backendRetry' - Attempt #2", ts: Date.parse('2026-11-23T02:06:21.718Z') } },
    { name: 'a plain source keeps its name', source: 'edge', text: 'GET /api/products 200', shown: { label: 'edge', text: 'GET /api/products 200' } },
    { name: 'an offset timestamp', source: 'db', text: '2026-11-23T02:06:21+01:00 ready', shown: { label: 'db', text: 'ready', ts: Date.parse('2026-11-23T02:06:21+01:00') } },
    { name: 'a bracket later in the line is text', source: 'api', text: 'cache miss [key=42]', shown: { label: 'api', text: 'cache miss [key=42]' } },
  ])('$name', ({ source, text, shown }) => {
    expect(shownLine({ t: 0, source, text })).toEqual(shown);
  });

  it('keeps the source\'s own timestamp over one in the text', () => {
    expect(shownLine({ t: 0, source: 's', text: '2026-01-01T00:00:00Z x', ts: 5 }).ts).toBe(5);
  });

  it('filters and wraps the shown text, and rows carry the label', () => {
    const lines = [{ t: 0, source: 'lab-logs', text: '[api-2] 2026-11-23T02:06:21.718Z breaker OPEN now' }, { t: 1, source: 'lab-logs', text: '[edge] 2026-11-23T02:06:22.000Z GET / 200' }];
    const window = selectLogWindow({ lines, height: 5, width: 10, isWrapped: true, filter: { pattern: 'breaker', test: (t) => t.includes('breaker') }, anchor: null });
    expect(window.rows.map((r) => [r.label, r.text])).toEqual([['api-2', 'breaker OP'], ['api-2', 'EN now']]);
  });
});
