import type { Tolerance } from '../scenario/schema';

// A tolerance is an AND of constraints. Numbers compare numerically (a numeric
// string counts as its number); regex tests the value's text form.

/** Whether `value` is within `tolerance`. */
export function withinTolerance(tolerance: Tolerance, value: unknown): boolean {
  const number = toNumber(value);
  const checks: boolean[] = [];
  if (tolerance.equals !== undefined) checks.push(isEqual(tolerance.equals, value));
  if (tolerance.lt !== undefined) checks.push(number !== undefined && number < tolerance.lt);
  if (tolerance.lte !== undefined) checks.push(number !== undefined && number <= tolerance.lte);
  if (tolerance.gt !== undefined) checks.push(number !== undefined && number > tolerance.gt);
  if (tolerance.gte !== undefined) checks.push(number !== undefined && number >= tolerance.gte);
  if (tolerance.range !== undefined) {
    const [low, high] = tolerance.range;
    checks.push(number !== undefined && number >= Math.min(low, high) && number <= Math.max(low, high));
  }
  if (tolerance.regex !== undefined) checks.push(value !== undefined && value !== null && new RegExp(tolerance.regex).test(textOf(value)));
  if (tolerance.oneOf !== undefined) checks.push(tolerance.oneOf.some((candidate) => isEqual(candidate, value)));
  return checks.length > 0 && checks.every(Boolean);
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
