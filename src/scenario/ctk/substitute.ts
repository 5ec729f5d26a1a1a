// Chaos Toolkit's `${name}` substitution (Python's string.Template with a
// typed twist): a string that is exactly one reference becomes the referenced
// value with its type (a number stays a number); a reference inside a longer
// string is replaced by its text; `$$` is a dollar; an unknown name is left as
// written, because it may be meant for the activity itself.

const TEMPLATE = /\$(?:(\$)|([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\}|)/gi;
const WHOLE = /^\$(?:([_a-z][_a-z0-9]*)|\{([_a-z][_a-z0-9]*)\})$/i;

/** Values a reference may name: the configuration first, then every secret scope's keys. */
export type SubstitutionValues = ReadonlyMap<string, unknown>;

/** Substitutes one string; keeps the value's type when the whole string is one known reference. */
export function substituteString(text: string, values: SubstitutionValues): unknown {
  const whole = WHOLE.exec(text);
  if (whole) {
    const name = whole[1] ?? whole[2]!;
    if (values.has(name)) return values.get(name);
  }
  return text.replace(TEMPLATE, (match, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
    if (escaped) return '$';
    const name = named ?? braced;
    if (name === undefined || !values.has(name)) return match;
    return textOf(values.get(name));
  });
}

/** Substitutes every string inside lists and mappings (keys are left alone, as chaoslib does). */
export function substitute<T>(data: T, values: SubstitutionValues): T {
  if (typeof data === 'string') return substituteString(data, values) as T;
  if (Array.isArray(data)) return data.map((v) => substitute(v, values)) as T;
  if (data !== null && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, substitute(v, values)])) as T;
  }
  return data;
}

/** The text Python's str() would give for a JSON value inside a longer string. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
