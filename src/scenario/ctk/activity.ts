import { homedir } from 'node:os';
import type { Action, Tolerance } from '../schema';
import { compileJsonPath } from './jsonpath';

// One Chaos Toolkit activity (probe or action) into one chaosdeck action, and a
// hypothesis tolerance into an explicit tolerance plus the output path it
// tests. Chaos Toolkit reads a tolerance's meaning from its shape and the
// probe's output; the provider type is known here, so the meaning is decided
// once, at import, and written out.

/** A problem found while converting, at a path relative to the activity. */
export interface ActivityProblem {
  readonly path: (string | number)[];
  readonly message: string;
  /** The key the message is about, when it is missing from the mapping at `path`. */
  readonly key?: string;
}

/** A JSON mapping. */
export type JsonRecord = Record<string, unknown>;

/** True for a JSON mapping (not a list, not null). */
export function isRecord(value: unknown): value is JsonRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const PROVIDER_TYPES = ['python', 'process', 'http'];

/**
 * Checks an activity the way chaoslib's `ensure_activity_is_valid` does and
 * returns its problems (empty when valid). `isRefAllowed` is false where a
 * reference makes no sense (a tolerance probe).
 */
export function activityProblems(activity: unknown, isRefAllowed = true): ActivityProblem[] {
  if (!isRecord(activity) || Object.keys(activity).length === 0) return [{ path: [], message: 'empty activity is no activity' }];
  if ('ref' in activity && isRefAllowed) {
    return typeof activity.ref === 'string' && activity.ref !== '' ? [] : [{ path: ['ref'], message: 'reference to activity must be non-empty strings' }];
  }
  const problems: ActivityProblem[] = [];
  const type = activity.type;
  if (type === undefined || type === '' || type === null) return [{ path: [], key: 'type', message: 'an activity must have a type (probe or action)' }];
  if (type !== 'probe' && type !== 'action') return [{ path: ['type'], message: `'${String(type)}' is not a supported activity type (probe or action)` }];
  if (typeof activity.name !== 'string' || activity.name === '') problems.push({ path: 'name' in activity ? ['name'] : [], key: 'name', message: 'an activity must have a name' });
  const provider = activity.provider;
  if (!isRecord(provider)) return [...problems, { path: 'provider' in activity ? ['provider'] : [], key: 'provider', message: 'an activity requires a provider' }];
  if (activity.timeout !== undefined && typeof activity.timeout !== 'number') problems.push({ path: ['timeout'], message: 'activity timeout must be a number' });
  if (activity.pauses !== undefined) {
    if (!isRecord(activity.pauses)) problems.push({ path: ['pauses'], message: 'activity pauses must be a mapping with before and/or after' });
    else {
      for (const when of ['before', 'after'] as const) {
        const pause = activity.pauses[when];
        if (pause === undefined || pause === null || typeof pause === 'number') continue;
        if (typeof pause !== 'string' || !(pause.startsWith('${') && pause.endsWith('}'))) {
          problems.push({ path: ['pauses', when], message: `activity ${when} pause must be a number or a pattern to a variable from the configuration or secrets` });
        }
      }
    }
  }
  if ('background' in activity && typeof activity.background !== 'boolean') problems.push({ path: ['background'], message: 'activity background must be a boolean' });
  const providerType = provider.type;
  if (providerType === undefined || providerType === '') return [...problems, { path: ['provider'], key: 'type', message: 'a provider must have a type (python, process or http)' }];
  if (!PROVIDER_TYPES.includes(String(providerType))) return [...problems, { path: ['provider', 'type'], message: `unknown provider type '${String(providerType)}' (python, process or http)` }];
  if (providerType === 'python') {
    if (typeof provider.module !== 'string' || provider.module === '') problems.push({ path: ['provider'], key: 'module', message: 'a Python activity must have a module path' });
    if (typeof provider.func !== 'string' || provider.func === '') problems.push({ path: ['provider'], key: 'func', message: 'a Python activity must have a function name' });
    if (provider.arguments !== undefined && !isRecord(provider.arguments)) problems.push({ path: ['provider', 'arguments'], message: 'a Python activity takes its arguments as a mapping' });
  } else if (providerType === 'process') {
    if (typeof provider.path !== 'string' || provider.path === '') problems.push({ path: ['provider'], key: 'path', message: 'a process activity must have a path' });
    const args = provider.arguments;
    if (args !== undefined && args !== null && typeof args !== 'string' && !Array.isArray(args) && !isRecord(args)) {
      problems.push({ path: ['provider', 'arguments'], message: 'process arguments must be a string (run through a shell), a list or a mapping' });
    }
    if (provider.timeout !== undefined && typeof provider.timeout !== 'number') problems.push({ path: ['provider', 'timeout'], message: 'process timeout must be a number of seconds' });
  } else {
    if (typeof provider.url !== 'string' || provider.url === '') problems.push({ path: ['provider'], key: 'url', message: 'a HTTP activity must have a URL' });
    if (provider.headers !== undefined && provider.headers !== null && !isRecord(provider.headers)) problems.push({ path: ['provider', 'headers'], message: 'a HTTP activities expect headers as a mapping' });
    const timeout = provider.timeout;
    const isPair = Array.isArray(timeout) && timeout.length === 2 && timeout.every((t) => typeof t === 'number');
    if (timeout !== undefined && timeout !== null && typeof timeout !== 'number' && !isPair) {
      problems.push({ path: ['provider', 'timeout'], message: 'HTTP timeout must be a number of seconds or a [connect, read] pair' });
    }
    if (provider.verify_tls !== undefined && typeof provider.verify_tls !== 'boolean') problems.push({ path: ['provider', 'verify_tls'], message: 'verify_tls must be true or false' });
  }
  return problems;
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? `${homedir()}${path.slice(1)}` : path;
}

function argvText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  return JSON.stringify(value);
}

/** Seconds → a duration string the scenario schema accepts. */
export function secondsToDuration(seconds: number): `${number}ms` {
  return `${Math.max(0, Math.round(seconds * 1000))}ms`;
}

function formEncode(data: JsonRecord): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(data)) {
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, argvText(item));
  }
  return params.toString();
}

/** Converts a validated, substituted activity (not a ref) into an action. */
export function activityToAction(activity: JsonRecord, options: { readonly isBackground?: boolean; readonly allowFailure?: boolean } = {}): Action {
  const provider = activity.provider as JsonRecord;
  const name = String(activity.name);
  const common = {
    description: name,
    ...(options.isBackground ? { background: true } : {}),
    ...(options.allowFailure ? { allowFailure: true } : {}),
  };
  const activityTimeout = typeof activity.timeout === 'number' ? activity.timeout : undefined;
  if (provider.type === 'python') {
    return {
      verb: 'unsupported',
      ...common,
      kind: 'python provider',
      name: `${String(provider.module)}.${String(provider.func)}`,
      ...(provider.arguments !== undefined ? { arguments: provider.arguments } : {}),
    };
  }
  if (provider.type === 'process') {
    const path = expandHome(String(provider.path));
    const timeoutSeconds = typeof provider.timeout === 'number' ? provider.timeout : activityTimeout;
    const timeout = timeoutSeconds === undefined ? {} : { timeout: secondsToDuration(timeoutSeconds) };
    const args = provider.arguments;
    if (typeof args === 'string') {
      // chaoslib runs `path arguments` through the shell when the arguments are one string.
      return { verb: 'shell', ...common, ...timeout, command: args === '' ? path : `${path} ${args}` };
    }
    const list = Array.isArray(args) ? args : isRecord(args) ? Object.entries(args).flat() : [];
    const argv = [path, ...list.filter((a) => a !== null && a !== undefined && a !== '').map(argvText)];
    return { verb: 'exec', ...common, ...timeout, argv };
  }
  const method = typeof provider.method === 'string' ? provider.method.toUpperCase() : 'GET';
  const headers = isRecord(provider.headers) ? Object.fromEntries(Object.entries(provider.headers).map(([k, v]) => [k, argvText(v)])) : undefined;
  const rawTimeout = provider.timeout;
  // requests' (connect, read) pair: the socket's inactivity deadline covers both phases, so the larger bounds each.
  const timeoutSeconds = typeof rawTimeout === 'number' ? rawTimeout : Array.isArray(rawTimeout) ? Math.max(...(rawTimeout as number[])) : activityTimeout;
  const args = provider.arguments;
  const http: Extract<Action, { verb: 'http' }> = {
    verb: 'http',
    ...common,
    url: String(provider.url),
    method,
    ...(timeoutSeconds !== undefined ? { timeout: secondsToDuration(timeoutSeconds) } : {}),
    ...(provider.verify_tls === false ? { verifyTls: false } : {}),
    ...(headers ? { headers } : {}),
  };
  if (args === undefined || args === null || args === '') return http;
  if (method === 'GET') {
    if (isRecord(args)) {
      http.query = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' ? v : argvText(v)]));
    }
    return http;
  }
  const contentType = Object.entries(headers ?? {}).find(([k]) => k === 'Content-Type')?.[1];
  if (contentType === 'application/json') return { ...http, body: args };
  if (isRecord(args)) {
    return { ...http, body: formEncode(args), headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' } };
  }
  return { ...http, body: argvText(args) };
}

/** A hypothesis tolerance as chaosdeck writes it: which part of the output, tested how. */
export interface ImportedTolerance {
  /** Dotted path into the probe's output; '' is the whole output. */
  readonly path: string;
  readonly tolerance: Tolerance;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Python regular expressions into JavaScript ones where they differ in spelling. */
export function pythonRegex(pattern: string): string {
  return pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\A/g, '^').replace(/\\Z/g, '$');
}

/**
 * Decides a hypothesis tolerance's meaning (chaoslib's `within_tolerance`) for
 * a provider type. Returns problems for tolerances chaoslib would reject.
 */
export function convertTolerance(tolerance: unknown, providerType: string, convertProbe: (probe: JsonRecord) => Action): ImportedTolerance | ActivityProblem[] {
  const returnsStatus = providerType === 'process' || providerType === 'http';
  if (typeof tolerance === 'boolean') return { path: '', tolerance: { equals: tolerance, strict: true } };
  if (typeof tolerance === 'number') {
    if (!Number.isInteger(tolerance)) return [{ path: [], message: 'hypothesis probe tolerance must either be an integer, a string, a boolean, a list or a mapping' }];
    return { path: returnsStatus ? 'status' : '', tolerance: { equals: tolerance, strict: true } };
  }
  if (typeof tolerance === 'string') return { path: '', tolerance: { equals: tolerance, strict: true } };
  if (Array.isArray(tolerance)) {
    if (!tolerance.every(isScalar)) return [{ path: [], message: 'a list tolerance holds strings, numbers or booleans' }];
    if (!returnsStatus && tolerance.length === 2 && tolerance.every((v) => typeof v === 'number')) {
      return { path: '', tolerance: { gte: tolerance[0] as number, lte: tolerance[1] as number } };
    }
    return { path: returnsStatus ? 'status' : '', tolerance: { oneOf: tolerance, strict: true } };
  }
  if (!isRecord(tolerance)) return [{ path: [], message: 'hypothesis probe tolerance must either be an integer, a string, a boolean, a list or a mapping' }];
  const target = typeof tolerance.target === 'string' && tolerance.target !== '' ? { target: tolerance.target } : {};
  switch (tolerance.type) {
    case 'regex': {
      if (!('pattern' in tolerance)) return [{ path: [], key: 'pattern', message: 'hypothesis regex probe tolerance must have a `pattern` key' }];
      if (typeof tolerance.pattern !== 'string') return [{ path: ['pattern'], message: `hypothesis probe tolerance pattern ${String(tolerance.pattern)} has an invalid type` }];
      const regex = pythonRegex(tolerance.pattern);
      try {
        new RegExp(regex);
      } catch (error) {
        return [{ path: ['pattern'], message: `hypothesis probe tolerance pattern ${tolerance.pattern} seems invalid: ${(error as Error).message}` }];
      }
      return { path: '', tolerance: { regex, ...target } };
    }
    case 'jsonpath': {
      if (!('path' in tolerance)) return [{ path: [], key: 'path', message: 'hypothesis jsonpath probe tolerance must have a `path` key' }];
      const path = typeof tolerance.path === 'string' ? tolerance.path.trim() : '';
      if (typeof tolerance.path !== 'string') return [{ path: ['path'], message: `hypothesis probe tolerance JSON path ${String(tolerance.path)} has an invalid type` }];
      if (path === '') return [{ path: ['path'], message: 'hypothesis probe tolerance JSON path cannot be empty' }];
      try {
        compileJsonPath(path);
      } catch (error) {
        return [{ path: ['path'], message: `hypothesis probe tolerance ${(error as Error).message}` }];
      }
      if (tolerance.count !== undefined && (typeof tolerance.count !== 'number' || !Number.isInteger(tolerance.count) || tolerance.count < 0)) {
        return [{ path: ['count'], message: 'a jsonpath tolerance count must be a whole number' }];
      }
      return {
        path: '',
        tolerance: {
          jsonpath: { path, ...(tolerance.count !== undefined ? { count: tolerance.count as number } : {}), ...('expect' in tolerance ? { expect: tolerance.expect } : {}) },
          ...target,
        },
      };
    }
    case 'range': {
      if (!('range' in tolerance)) return [{ path: [], key: 'range', message: 'hypothesis range probe tolerance must have a `range` key' }];
      const range = tolerance.range;
      if (!Array.isArray(range)) return [{ path: ['range'], message: 'hypothesis range must be a sequence' }];
      if (range.length !== 2) return [{ path: ['range'], message: 'hypothesis range sequence must be made of two values' }];
      if (typeof range[0] !== 'number') return [{ path: ['range', 0], message: 'hypothesis range lower boundary must be a number' }];
      if (typeof range[1] !== 'number') return [{ path: ['range', 1], message: 'hypothesis range upper boundary must be a number' }];
      return { path: '', tolerance: { gte: range[0], lte: range[1], ...target } };
    }
    case 'probe': {
      const problems = activityProblems(tolerance, false);
      if (problems.length > 0) return problems;
      return { path: '', tolerance: { probe: convertProbe(tolerance) } };
    }
    default:
      return [{ path: 'type' in tolerance ? ['type'] : [], key: 'type', message: `hypothesis probe tolerance type '${tolerance.type === undefined ? 'None' : String(tolerance.type)}' is unsupported (regex, jsonpath, range or probe)` }];
  }
}
