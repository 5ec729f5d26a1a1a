// A few lines of request validation for the service processes. They start
// eight at a time on two cores, and zod's load time alone (~45 ms each) was
// the largest share of `lab up`; the supervisor and the client keep zod.

/** One field's rule. */
export interface FieldRule {
  readonly type: 'number' | 'boolean' | 'string' | 'object';
  readonly min?: number;
  readonly max?: number;
  readonly isInteger?: boolean;
  readonly isOptional?: boolean;
  readonly default?: unknown;
  readonly oneOf?: readonly string[];
}

/** Why a body was refused: every problem, one per field. */
export class ValidationError extends Error {
  constructor(problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'ValidationError';
  }
}

/** Checks `input` against `rules`, fills defaults, drops unknown keys; throws ValidationError. */
export function validate<T>(input: unknown, rules: Readonly<Record<string, FieldRule>>): T {
  const source = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const output: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    const value = source[key];
    if (value === undefined || value === null) {
      if (rule.default !== undefined) output[key] = rule.default;
      else if (!rule.isOptional) problems.push(`${key}: required`);
      continue;
    }
    const isObject = typeof value === 'object' && !Array.isArray(value);
    if (rule.type === 'object' ? !isObject : typeof value !== rule.type) {
      problems.push(`${key}: expected ${rule.type}`);
      continue;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) problems.push(`${key}: expected a finite number`);
      else if (rule.isInteger && !Number.isInteger(value)) problems.push(`${key}: expected an integer`);
      else if (rule.min !== undefined && value < rule.min) problems.push(`${key}: must be at least ${rule.min}`);
      else if (rule.max !== undefined && value > rule.max) problems.push(`${key}: must be at most ${rule.max}`);
    }
    if (typeof value === 'string' && rule.oneOf && !rule.oneOf.includes(value)) problems.push(`${key}: one of ${rule.oneOf.join(', ')}`);
    output[key] = value;
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return output as T;
}
