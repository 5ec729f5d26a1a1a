import { describe, expect, it } from 'vitest';
import { describeTolerance, withinTolerance } from '../../src/engine/tolerance';
import type { Tolerance } from '../../src/scenario/schema';

describe('tolerances', () => {
  it.each<[string, Tolerance, unknown, boolean]>([
    ['equals number', { equals: 200 }, 200, true],
    ['equals number from a numeric string', { equals: 200 }, '200', true],
    ['equals number, other value', { equals: 200 }, 503, false],
    ['equals string trims', { equals: 'ok' }, 'ok\n', true],
    ['equals boolean', { equals: true }, true, true],
    ['equals boolean is not truthy', { equals: true }, 1, false],
    ['lt', { lt: 500 }, 499.9, true],
    ['lt boundary', { lt: 500 }, 500, false],
    ['lte boundary', { lte: 500 }, 500, true],
    ['gt', { gt: 0.5 }, 0.6, true],
    ['gte boundary', { gte: 1 }, 1, true],
    ['range inclusive', { range: [0.8, 1] }, 0.8, true],
    ['range reversed bounds', { range: [1, 0.8] }, 0.9, true],
    ['range outside', { range: [0.8, 1] }, 0.79, false],
    ['regex', { regex: '^HTTP 2\\d\\d' }, 'HTTP 204 No Content', true],
    ['regex on an object tests its JSON', { regex: '"state":"OPEN"' }, { state: 'OPEN' }, true],
    ['regex against undefined', { regex: '.*' }, undefined, false],
    ['oneOf', { oneOf: [200, 204] }, 204, true],
    ['oneOf miss', { oneOf: [200, 204] }, 500, false],
    ['AND of bounds', { gt: 100, lt: 200 }, 150, true],
    ['AND of bounds, one fails', { gt: 100, lt: 200 }, 250, false],
    ['number bound on text', { lt: 5 }, 'fast', false],
  ])('%s', (_, tolerance, value, expected) => {
    expect(withinTolerance(tolerance, value)).toBe(expected);
  });

  it.each<[Tolerance, string, string]>([
    [{ lt: 500 }, ' ms', '< 500 ms'],
    [{ gte: 0.8, lte: 1 }, '', '≥ 0.8 and ≤ 1'],
    [{ range: [1, 2] }, ' s', '1 s..2 s'],
    [{ regex: 'ok' }, '', '~ /ok/'],
  ])('describes %j', (tolerance, unit, text) => {
    expect(describeTolerance(tolerance, unit)).toBe(text);
  });
});
