import { compileJsonPath, deepEqual } from '../scenario/ctk/jsonpath';
import type { Tolerance } from '../scenario/schema';

// A tolerance is an AND of constraints. Numbers compare numerically (a numeric
// string counts as its number); regex tests the value's text form. With
// `strict`, equality is exact, as in Chaos Toolkit. A `probe` constraint needs
// a driver, so the engine evaluates it; here it adds nothing.

/** Whether `value` is within `tolerance` (every constraint but `probe`). */
export function withinTolerance(tolerance: Tolerance, rawValue: unknown): boolean {
  const value = targetOf(tolerance, rawValue);
  const number = toNumber(value);
  const checks: boolean[] = [];
  const equal = (expected: unknown, actual: unknown) => (tolerance.strict ? deepEqual(expected, actual) : isEqual(expected, actual));
  if (tolerance.equals !== undefined) checks.push(equal(tolerance.equals, value));
  if (tolerance.lt !== undefined) checks.push(number !== undefined && number < tolerance.lt);
  if (tolerance.lte !== undefined) checks.push(number !== undefined && number <= tolerance.lte);
  if (tolerance.gt !== undefined) checks.push(number !== undefined && number > tolerance.gt);
  if (tolerance.gte !== undefined) checks.push(number !== undefined && number >= tolerance.gte);
  if (tolerance.range !== undefined) {
    const [low, high] = tolerance.range;
    checks.push(number !== undefined && number >= Math.min(low, high) && number <= Math.max(low, high));
  }
  if (tolerance.regex !== undefined) checks.push(value !== undefined && value !== null && new RegExp(tolerance.regex).test(textOf(value)));
  if (tolerance.oneOf !== undefined) checks.push(tolerance.oneOf.some((candidate) => equal(candidate, value)));
  if (tolerance.jsonpath !== undefined) checks.push(jsonPathHolds(tolerance.jsonpath, value));
  return checks.length > 0 && checks.every(Boolean);
}

// Chaos Toolkit's `target`: `value.get(target, value)` on a mapping.
function targetOf(tolerance: Tolerance, value: unknown): unknown {
  if (tolerance.target === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.hasOwn(value, tolerance.target) ? (value as Record<string, unknown>)[tolerance.target] : value;
}

function jsonPathHolds(query: NonNullable<Tolerance['jsonpath']>, value: unknown): boolean {
  let document = value;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      // Not JSON: matched as the string it is, like chaoslib.
    }
  }
  let matches: unknown[];
  try {
    matches = compileJsonPath(query.path).match(document);
  } catch {
    return false;
  }
  let isMet = matches.length > 0;
  if (query.count !== undefined) isMet = matches.length === query.count;
  if (query.expect !== undefined) isMet = deepEqual(matches, Array.isArray(query.expect) ? query.expect : [query.expect]);
  return isMet;
}

/** A short text for a tolerance: `< 500`, `= 200`, `0.8..1`, `~ /ok/`. */
export function describeTolerance(tolerance: Tolerance, unit = ''): string {
  const parts: string[] = [];
  const u = (n: number) => `${n}${unit}`;
  if (tolerance.equals !== undefined) parts.push(`= ${JSON.stringify(tolerance.equals)}`);
  if (tolerance.gt !== undefined) parts.push(`> ${u(tolerance.gt)}`);
  if (tolerance.gte !== undefined) parts.push(`≥ ${u(tolerance.gte)}`);
  if (tolerance.lt !== undefined) parts.push(`< ${u(tolerance.lt)}`);
  if (tolerance.lte !== undefined) parts.push(`≤ ${u(tolerance.lte)}`);
  if (tolerance.range !== undefined) parts.push(`${u(tolerance.range[0])}..${u(tolerance.range[1])}`);
  if (tolerance.regex !== undefined) parts.push(`~ /${tolerance.regex}/`);
  if (tolerance.oneOf !== undefined) parts.push(`in [${tolerance.oneOf.map((v) => JSON.stringify(v)).join(', ')}]`);
  if (tolerance.jsonpath !== undefined) {
    const { path, count, expect } = tolerance.jsonpath;
    parts.push(`${path} ${expect !== undefined ? `= ${JSON.stringify(expect)}` : count !== undefined ? `matches ${count}` : 'matches'}`);
  }
  if (tolerance.probe !== undefined) parts.push(`probe ${tolerance.probe.description ?? tolerance.probe.verb} succeeds`);
  if (tolerance.target !== undefined && parts.length > 0) parts[0] = `${tolerance.target} ${parts[0]}`;
  return parts.join(' and ');
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isEqual(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (typeof expected === 'number') return toNumber(actual) === expected;
  if (typeof expected === 'string' && typeof actual === 'number') return expected === String(actual);
  if (typeof expected === 'string' && typeof actual === 'string') return expected.trim() === actual.trim();
  return false;
}
