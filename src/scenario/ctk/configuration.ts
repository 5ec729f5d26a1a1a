import type { Diagnostic, SourceDocument } from '../load';

// An experiment's `configuration` and `secrets`, resolved the way chaoslib does
// at load time: literals as they are; `{type: env, key, default?,
// env_var_type?}` read from the environment, an unset variable without a
// default being an error. Secret values read from the environment are not
// copied into the scenario: they stay `{{ env.KEY }}` and are read when the
// action runs, so recordings and the run.started event never hold them.

/** What configuration and secrets resolved to. */
export interface ResolvedValues {
  /** Every name `${name}` may reference: configuration keys, then each secret scope's keys. */
  readonly values: Map<string, unknown>;
  /** Environment variables the experiment reads. */
  readonly envNames: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

const ENV_VAR_TYPES = ['str', 'string', 'int', 'integer', 'float', 'number', 'bytes', 'bool', 'json'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Converts an environment string the way chaoslib's `env_var_type` does; throws with a reason. */
export function convertEnvValue(type: string | undefined, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  switch (type) {
    case undefined: case 'str': case 'string': case 'bytes':
      return value;
    case 'int': case 'integer': {
      if (!/^\s*[-+]?\d+\s*$/.test(value)) throw new Error(`'${value}' is not an integer`);
      return Number.parseInt(value, 10);
    }
    case 'float': case 'number': {
      const number = Number(value);
      if (value.trim() === '' || !Number.isFinite(number)) throw new Error(`'${value}' is not a number`);
      return number;
    }
    case 'bool':
      return !['false', '0', 'no'].includes(value.toLowerCase());
    case 'json':
      if (value === '') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw new Error(`'${value}' is not JSON`);
      }
    default:
      throw new Error(`env_var_type can only be: bool, str, int, float, bytes or json (got '${type}')`);
  }
}

/** Resolves `configuration` and `secrets` of an experiment read from `source`. */
export function resolveValues(source: SourceDocument, experiment: Record<string, unknown>, env: NodeJS.ProcessEnv): ResolvedValues {
  const values = new Map<string, unknown>();
  const envNames: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string, key?: string) => diagnostics.push({ file: source.file, ...source.locate(path, key), message });

  const configuration = experiment.configuration;
  if (configuration !== undefined && configuration !== null && !isRecord(configuration)) {
    at(['configuration'], 'configuration must be a mapping of names to values');
  } else if (isRecord(configuration)) {
    for (const [name, entry] of Object.entries(configuration)) {
      if (!isRecord(entry) || entry.type !== 'env') {
        // Literal values, and dynamic `type: probe` entries, which are resolved at run time by chaoslib; kept as written.
        values.set(name, entry);
        continue;
      }
      const key = entry.key;
      if (typeof key !== 'string' || key === '') {
        at(['configuration', name], `configuration '${name}': an env entry needs a 'key' naming the environment variable`);
        continue;
      }
      envNames.push(key);
      const type = entry.env_var_type;
      if (type !== undefined && (typeof type !== 'string' || !(ENV_VAR_TYPES as readonly string[]).includes(type))) {
        at(['configuration', name, 'env_var_type'], `configuration '${name}': env_var_type can only be: bool, str, int, float, bytes or json`);
        continue;
      }
      const raw = env[key] ?? entry.default;
      if (env[key] === undefined && !('default' in entry)) {
        at(['configuration', name], `configuration '${name}' reads the environment variable ${key}, which is not set and has no default`);
        continue;
      }
      try {
        values.set(name, convertEnvValue(type as string | undefined, raw));
      } catch (error) {
        at(['configuration', name], `configuration '${name}' (${key}): ${(error as Error).message}`);
      }
    }
  }

  const secrets = experiment.secrets;
  if (secrets !== undefined && secrets !== null && !isRecord(secrets)) {
    at(['secrets'], 'secrets must be a mapping of scopes to mappings of names to values');
  } else if (isRecord(secrets)) {
    for (const [scope, entries] of Object.entries(secrets)) {
      if (!isRecord(entries)) {
        at(['secrets', scope], `secrets scope '${scope}' must be a mapping of names to values`);
        continue;
      }
      for (const [name, entry] of Object.entries(entries)) {
        if (!isRecord(entry) || !('type' in entry)) {
          if (!values.has(name)) values.set(name, entry);
          continue;
        }
        if (entry.type === 'env') {
          const key = entry.key;
          if (typeof key !== 'string' || key === '') {
            at(['secrets', scope, name], `secret '${scope}.${name}': an env entry needs a 'key' naming the environment variable`);
            continue;
          }
          envNames.push(key);
          if (env[key] === undefined) {
            at(['secrets', scope, name], `secret '${scope}.${name}' reads the environment variable ${key}, which is not set`);
            continue;
          }
          if (!values.has(name)) values.set(name, `{{ env.${key} }}`);
          continue;
        }
        at(['secrets', scope, name, 'type'], `secret '${scope}.${name}' is of type '${String(entry.type)}': chaosdeck reads secrets from the environment only (type: env)`);
      }
    }
  }
  return { values, envNames: [...new Set(envNames)], diagnostics };
}
