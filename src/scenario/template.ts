import { DeckError } from '../engine/errors';
import type { Environment } from './environment';

// `{{ api.host }}` in an action is replaced per string, never by building a
// shell line: an argv element stays one element whatever the value holds.

const REFERENCE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** Values a template may reference: `vars.*` flattened to the top, `<target>.<field>` from bindings, `env.NAME`. */
export function templateValues(environment: Environment, env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(environment.vars)) values.set(name, value);
  for (const [target, binding] of Object.entries(environment.targets)) {
    for (const [field, value] of Object.entries(binding)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values.set(`${target}.${field}`, String(value));
    }
  }
  for (const [name, value] of Object.entries(env)) if (value !== undefined) values.set(`env.${name}`, value);
  return values;
}

/** References in a string that `values` cannot resolve. */
export function unresolvedReferences(text: string, values: ReadonlyMap<string, string>): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1]!).filter((name) => !values.has(name));
}

/** Replaces every `{{ name }}` in one string. Throws USAGE naming the first unknown reference. */
export function renderTemplate(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(REFERENCE, (_, name: string) => {
    const value = values.get(name);
    if (value === undefined) throw new DeckError('SCENARIO_INVALID', `unknown template value '{{ ${name} }}'`);
    return value;
  });
}

/** Renders every string inside a JSON-safe value (an action), element by element. */
export function renderDeep<T>(value: T, values: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') return renderTemplate(value, values) as T;
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, values)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, values)])) as T;
  }
  return value;
}

/** Every string inside a value, for validation of references. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
