import { describe, expect, it } from 'vitest';
import { valueAtPath } from '../../src/engine/check-watch';
import { describeTolerance, withinTolerance } from '../../src/engine/tolerance';
import { activityToAction, convertTolerance } from '../../src/scenario/ctk/activity';
import { compileJsonPath, JsonPathError } from '../../src/scenario/ctk/jsonpath';
import { ToleranceSchema } from '../../src/scenario/schema';

// Chaos Toolkit's documented tolerance semantics (chaoslib hypothesis.py,
// within_tolerance; docs "Steady-State Hypothesis" / tolerance kinds), as rows:
// the tolerance as written, the provider that produced the output, the output,
// and whether the hypothesis probe is within tolerance.

const processOut = (status: number, stdout = '', stderr = '') => ({ status, stdout, stderr });
const httpOut = (status: number, body: unknown = '', headers: Record<string, string> = {}) => ({ status, headers, body });

function holds(tolerance: unknown, provider: string, output: unknown): boolean {
  const converted = convertTolerance(tolerance, provider, (p) => activityToAction(p));
  if (Array.isArray(converted)) throw new Error(converted.map((p) => p.message).join('; '));
  ToleranceSchema.parse(converted.tolerance);
  return withinTolerance(converted.tolerance, valueAtPath(output, converted.path));
}

describe('Chaos Toolkit tolerances', () => {
  it.each<[string, unknown, string, unknown, boolean]>([
    // bool, int, string: exact equality with the output
    ['bool true equals a python probe returning true', true, 'python', true, true],
    ['bool true misses a python probe returning false', true, 'python', false, false],
    ['bool false equals false', false, 'python', false, true],
    ['bool against a process output (a mapping) never holds', true, 'process', processOut(0), false],
    ['string equals the same string', 'OK', 'python', 'OK', true],
    ['string comparison is exact (no trimming)', 'OK', 'python', 'OK\n', false],
    ['string is not a number: "200" is not 200', '200', 'python', 200, false],
    ['int equals a python probe returning that int', 3, 'python', 3, true],
    ['int misses a different int', 3, 'python', 4, false],
    // int against an output with a status
    ['int 0 against a process exit status 0', 0, 'process', processOut(0, 'ok'), true],
    ['int 0 against a process exit status 1', 0, 'process', processOut(1, '', 'no such file'), false],
    ['int 1 against a process exit status 1 (non-zero is still a result)', 1, 'process', processOut(1), true],
    ['int 200 against an HTTP status 200', 200, 'http', httpOut(200, { ok: true }), true],
    ['int 200 against an HTTP status 503', 200, 'http', httpOut(503), false],
    // lists: membership of the status when there is one
    ['list membership of the HTTP status', [200, 201], 'http', httpOut(201), true],
    ['list membership misses', [200, 201], 'http', httpOut(404), false],
    ['a two-element list is still membership against a status', [200, 503], 'http', httpOut(404), false],
    ['a one-element list', [200], 'http', httpOut(200), true],
    // lists without a status: two numbers are a range, otherwise membership
    ['two numbers are an inclusive range without a status', [0, 10], 'python', 10, true],
    ['below the range', [0, 10], 'python', -1, false],
    ['membership of strings', ['up', 'degraded'], 'python', 'degraded', true],
    ['three numbers are membership, not a range', [1, 2, 3], 'python', 2.5, false],
    // range
    ['range holds inside', { type: 'range', range: [5, 10] }, 'python', 7, true],
    ['range is inclusive', { type: 'range', range: [5, 10] }, 'python', 5, true],
    ['range misses outside', { type: 'range', range: [5, 10] }, 'python', 11, false],
    ['range with a target', { type: 'range', range: [200, 299], target: 'status' }, 'http', httpOut(204), true],
    ['range on a numeric string (Decimal(value))', { type: 'range', range: [0, 1], target: 'stdout' }, 'process', processOut(0, '0.5'), true],
    ['range on text that is no number', { type: 'range', range: [0, 1], target: 'stdout' }, 'process', processOut(0, 'n/a'), false],
    ['range with min above max never holds', { type: 'range', range: [10, 5] }, 'python', 7, false],
    // regex (search, not full match), with target
    ['regex searches the target', { type: 'regex', pattern: 'ready', target: 'stdout' }, 'process', processOut(0, 'pod/api ready\n'), true],
    ['regex misses', { type: 'regex', pattern: '^ready$', target: 'stdout' }, 'process', processOut(0, 'not ready'), false],
    ['regex on a string output', { type: 'regex', pattern: 'v\\d+' }, 'python', 'release v42', true],
    ['regex with Python named groups', { type: 'regex', pattern: '(?P<n>\\d+) ok', target: 'body' }, 'http', httpOut(200, '3 ok'), true],
    // jsonpath, with expect or count
    ['jsonpath matches something', { type: 'jsonpath', path: '$.items[*].status', target: 'body' }, 'http', httpOut(200, { items: [{ status: 'up' }] }), true],
    ['jsonpath matches nothing', { type: 'jsonpath', path: '$.missing', target: 'body' }, 'http', httpOut(200, { items: [] }), false],
    ['jsonpath with expect (one value)', { type: 'jsonpath', path: '$.health', expect: 'ok', target: 'body' }, 'http', httpOut(200, { health: 'ok' }), true],
    ['jsonpath with expect misses', { type: 'jsonpath', path: '$.health', expect: 'ok', target: 'body' }, 'http', httpOut(200, { health: 'down' }), false],
    ['jsonpath with expect (a list)', { type: 'jsonpath', path: '$.pods[*].ready', expect: [true, true], target: 'body' }, 'http', httpOut(200, { pods: [{ ready: true }, { ready: true }] }), true],
    ['jsonpath with count', { type: 'jsonpath', path: '$.pods[?(@.ready == true)]', count: 2, target: 'body' }, 'http', httpOut(200, { pods: [{ ready: true }, { ready: false }, { ready: true }] }), true],
    ['jsonpath with a wrong count', { type: 'jsonpath', path: '$.pods[*]', count: 2, target: 'body' }, 'http', httpOut(200, { pods: [1] }), false],
    ['jsonpath parses a JSON text first', { type: 'jsonpath', path: '$.a', expect: 1, target: 'stdout' }, 'process', processOut(0, '{"a": 1}'), true],
    ['jsonpath filter with jsonpath2 "=" and "and"', { type: 'jsonpath', path: '$.x[?(@.a = 1 and @.b > 2)]', count: 1 }, 'python', { x: [{ a: 1, b: 3 }, { a: 1, b: 1 }] }, true],
  ])('%s', (_, tolerance, provider, output, expected) => {
    expect(holds(tolerance, provider, output)).toBe(expected);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown dict type', { type: 'equal', value: 1 }, /tolerance type 'equal' is unsupported/],
    ['a dict without type', { value: 1 }, /tolerance type 'None' is unsupported/],
    ['regex without pattern', { type: 'regex' }, /must have a `pattern` key/],
    ['a pattern that does not compile', { type: 'regex', pattern: '(' }, /pattern \( seems invalid/],
    ['jsonpath without path', { type: 'jsonpath' }, /must have a `path` key/],
    ['an empty jsonpath', { type: 'jsonpath', path: '  ' }, /JSON path cannot be empty/],
    ['a jsonpath that does not parse', { type: 'jsonpath', path: '$.[' }, /JSONPath '\$\.\[' is invalid/],
    ['range without range', { type: 'range' }, /must have a `range` key/],
    ['a range of three', { type: 'range', range: [1, 2, 3] }, /made of two values/],
    ['a range with text', { type: 'range', range: ['a', 2] }, /lower boundary must be a number/],
    ['a float', 0.5, /must either be an integer/],
    ['null', null, /must either be an integer/],
  ])('rejects %s like chaoslib', (_, tolerance, message) => {
    const converted = convertTolerance(tolerance, 'http', (p) => activityToAction(p));
    expect(Array.isArray(converted)).toBe(true);
    expect((converted as { message: string }[]).map((p) => p.message).join('\n')).toMatch(message);
  });

  it('a probe tolerance becomes a probe that gets the value', () => {
    const converted = convertTolerance(
      { type: 'probe', name: 'verify', provider: { type: 'process', path: 'test', arguments: { '-n': 'x' } } },
      'http',
      (p) => activityToAction(p),
    );
    expect(converted).toEqual({ path: '', tolerance: { probe: { verb: 'exec', description: 'verify', argv: ['test', '-n', 'x'] } } });
    if (Array.isArray(converted)) throw new Error('expected a tolerance');
    expect(describeTolerance(converted.tolerance)).toBe('probe verify succeeds');
  });

  it('strict equality is off for chaosdeck\'s own tolerances, which keep their coercions', () => {
    expect(withinTolerance({ equals: 200 }, '200')).toBe(true);
    expect(withinTolerance({ equals: 200, strict: true }, '200')).toBe(false);
    expect(withinTolerance({ oneOf: ['ok'], strict: true }, 'ok ')).toBe(false);
  });

  it('a tolerance of only strict or target is refused by the schema', () => {
    expect(ToleranceSchema.safeParse({ strict: true }).success).toBe(false);
    expect(ToleranceSchema.safeParse({ target: 'status' }).success).toBe(false);
    expect(ToleranceSchema.safeParse({ jsonpath: { path: '$.a' } }).success).toBe(true);
  });
});

describe('JSONPath', () => {
  const doc = { store: { book: [{ title: 'A', price: 8 }, { title: 'B', price: 12 }, { title: 'C', price: 9 }] }, 'odd key': 1 };
  it.each<[string, unknown[]]>([
    ['$.store.book[0].title', ['A']],
    ['$.store.book[-1].title', ['C']],
    ['$.store.book[0,2].title', ['A', 'C']],
    ['$.store.book[1:].title', ['B', 'C']],
    ['$.store.book[::2].title', ['A', 'C']],
    ['$..price', [8, 12, 9]],
    ['$.store.book[*].price', [8, 12, 9]],
    ["$['odd key']", [1]],
    ['$.store.book[?(@.price < 10)].title', ['A', 'C']],
    ['$.store.book[?(@.price > 8 && @.title != "B")].title', ['C']],
    ['$.store.book[?(@.price == 12 || @.title == "A")].title', ['A', 'B']],
    ['$.store.book[?(not @.price < 10)].title', ['B']],
    ['$.nothing', []],
  ])('%s', (path, expected) => {
    expect(compileJsonPath(path).match(doc)).toEqual(expected);
  });

  it.each(['store', '$.', '$[', '$.a[?(@.b ==)]', "$['unterminated"])('rejects %s', (path) => {
    expect(() => compileJsonPath(path)).toThrow(JsonPathError);
  });
});
