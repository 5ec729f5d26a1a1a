import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/load';
import { convertEnvValue } from '../../src/scenario/ctk/configuration';
import { ctkRequirements, importCtkExperiment, looksLikeCtkExperiment, unsupportedActivities, unsupportedRefusal } from '../../src/scenario/ctk/index';
import { substitute, substituteString } from '../../src/scenario/ctk/substitute';
import type { Action } from '../../src/scenario/schema';

// The importer: configuration, secrets and `${}` substitution as chaoslib does
// them, the phase mapping, providers into actions, and every refusal at the
// line and column of the problem.

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'ctk');

function experiment(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ title: 't', description: 'd', method: [], ...overrides }, null, 2);
}

function importError(text: string, file = 'x.json', env: NodeJS.ProcessEnv = {}): string {
  try {
    importCtkExperiment(file, text, { env });
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('expected the import to fail');
}

const probe = (name: string, provider: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'probe', name, provider, ...extra });
const action = (name: string, provider: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'action', name, provider, ...extra });

describe('substitution', () => {
  const values = new Map<string, unknown>([['port', 8080], ['host', 'api'], ['flag', true], ['list', [1, 2]]]);
  it.each<[string, unknown]>([
    ['${port}', 8080],
    ['$port', 8080],
    ['${list}', [1, 2]],
    ['http://${host}:${port}/x', 'http://api:8080/x'],
    ['flag=${flag}', 'flag=True'],
    ['${unknown}', '${unknown}'],
    ['cost $$5 on $host', 'cost $5 on api'],
    ['$', '$'],
  ])('%s', (text, expected) => {
    expect(substituteString(text, values)).toEqual(expected);
  });

  it('walks lists and mappings, leaving keys alone', () => {
    expect(substitute({ '${host}': ['${port}', { a: 'x${host}' }], n: 3 }, values)).toEqual({ '${host}': [8080, { a: 'xapi' }], n: 3 });
  });

  it.each<[string | undefined, string, unknown]>([
    [undefined, '42', '42'],
    ['int', '42', 42],
    ['integer', ' -7 ', -7],
    ['float', '0.25', 0.25],
    ['number', '3', 3],
    ['bool', 'no', false],
    ['bool', 'yes', true],
    ['json', '{"a":[1]}', { a: [1] }],
    ['bytes', 'raw', 'raw'],
  ])('env_var_type %s converts %j', (type, raw, expected) => {
    expect(convertEnvValue(type, raw)).toEqual(expected);
  });

  it.each([['int', 'x'], ['float', ''], ['json', '{'], ['date', '1']])('env_var_type %s refuses %j', (type, raw) => {
    expect(() => convertEnvValue(type, raw)).toThrow();
  });
});

describe('importing an experiment', () => {
  const text = experiment({
    tags: ['k8s'],
    configuration: {
      base: { type: 'env', key: 'BASE_URL', default: 'http://127.0.0.1:9' },
      port: { type: 'env', key: 'PORT', env_var_type: 'int' },
      wait_s: 2,
      greeting: 'hello',
    },
    secrets: { api: { token: { type: 'env', key: 'API_TOKEN' }, user: 'alice' } },
    'steady-state-hypothesis': {
      title: 'the service answers',
      probes: [
        probe('health', { type: 'http', url: '${base}/health', timeout: [1, 5] }, { tolerance: 200 }),
        probe('port-open', { type: 'process', path: 'nc', arguments: ['-z', '127.0.0.1', '${port}'] }, { tolerance: 0 }),
      ],
    },
    method: [
      action('say', { type: 'process', path: 'echo', arguments: '${greeting} "$USER" | tr a-z A-Z' }, { pauses: { before: 1, after: '${wait_s}' } }),
      action('post-json', { type: 'http', url: '${base}/chaos', method: 'post', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ${token}' }, arguments: { level: 3 } }),
      action('post-form', { type: 'http', url: '${base}/form', method: 'PUT', arguments: { a: '1', b: ['x', 'y'] } }),
      probe('get-query', { type: 'http', url: '${base}/q', arguments: { n: 1, who: '${user}' }, verify_tls: false }),
      { ref: 'health' },
      action('kill', { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods', arguments: { label_selector: 'app=api' } }, { background: true }),
      probe('after-kill', { type: 'process', path: 'true' }),
    ],
    rollbacks: [action('heal', { type: 'process', path: 'echo', arguments: ['healed', 3, null, ''] }, { pauses: { after: 1 } })],
    controls: [{ name: 'tracing', provider: { type: 'python', module: 'chaostracing.control' } }],
    extensions: [{ name: 'chaosk8s' }],
    runtime: { hypothesis: { strategy: 'before-method-only' }, rollbacks: { strategy: 'deviated' } },
  });
  const env = { PORT: '8081', API_TOKEN: 's3cret' };
  const { scenario, experiment: raw } = importCtkExperiment('exp.json', text, { env, originPath: '/abs/exp.json' });
  const runs = scenario.steps.map((s) => s.run);

  it('maps the hypothesis to the baseline and the steady state, checked once per round', () => {
    expect(scenario.steps[0]).toMatchObject({ phase: 'baseline', title: 'Steady state: the service answers' });
    expect(scenario.hypothesis).toBe('the service answers');
    expect(scenario.steadyState.map((s) => [s.name, s.within, 'probe' in s.check ? s.check.path : null])).toEqual([['health', 0, 'status'], ['port-open', 0, 'status']]);
    const health = scenario.steadyState[0]!.check as { probe: Action; tolerance: unknown };
    expect(health.probe).toEqual({ verb: 'http', description: 'health', url: 'http://127.0.0.1:9/health', method: 'GET', timeout: '5000ms' });
    expect(health.tolerance).toEqual({ equals: 200, strict: true });
  });

  it('keeps a substituted value\'s type when the whole string is one reference', () => {
    const portOpen = scenario.steadyState[1]!.check as { probe: Extract<Action, { verb: 'exec' }> };
    expect(portOpen.probe.argv).toEqual(['nc', '-z', '127.0.0.1', '8081']);
    const wait = runs[1]!.find((a) => a.verb === 'wait' && a.description?.startsWith('pause after'));
    expect(wait).toMatchObject({ verb: 'wait', duration: '2000ms' });
  });

  it('maps method actions to inject steps and probes to observe steps, with pauses around them', () => {
    expect(scenario.steps.map((s) => `${s.phase}:${s.title}`)).toEqual([
      'baseline:Steady state: the service answers',
      'inject:say',
      'inject:post-json',
      'inject:post-form',
      'observe:get-query',
      'observe:health',
      'inject:kill (+1 more)',
      'restore:Rollbacks',
    ]);
    expect(runs[1]!.map((a) => a.verb)).toEqual(['wait', 'shell', 'wait']);
    expect(runs[1]![1]).toEqual({ verb: 'shell', description: 'say', allowFailure: true, command: 'echo hello "$USER" | tr a-z A-Z' });
  });

  it('sends bodies by Content-Type and GET arguments as the query; secrets stay references', () => {
    expect(runs[2]![0]).toMatchObject({ verb: 'http', method: 'POST', body: { level: 3 }, headers: { 'Content-Type': 'application/json', Authorization: 'Bearer {{ env.API_TOKEN }}' } });
    expect(runs[3]![0]).toMatchObject({ verb: 'http', method: 'PUT', body: 'a=1&b=x&b=y', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(runs[4]![0]).toMatchObject({ verb: 'http', method: 'GET', query: { n: 1, who: 'alice' }, verifyTls: false });
    expect(JSON.stringify(scenario)).not.toContain('s3cret');
  });

  it('resolves refs to the named activity', () => {
    expect(runs[5]![0]).toMatchObject({ verb: 'http', url: 'http://127.0.0.1:9/health', description: 'health' });
  });

  it('shows python providers and controls as not runnable, and keeps later activities with a background one', () => {
    expect(runs[6]).toEqual([
      { verb: 'unsupported', description: 'kill', background: true, allowFailure: true, kind: 'python provider', name: 'chaosk8s.pod.actions.terminate_pods', arguments: { label_selector: 'app=api' } },
      { verb: 'exec', description: 'after-kill', allowFailure: true, argv: ['true'] },
    ]);
    expect(runs[0]).toEqual([{ verb: 'unsupported', kind: 'python control', name: 'chaostracing.control', description: 'control chaostracing.control', allowFailure: true }]);
    expect(unsupportedActivities(scenario).map((u) => u.text)).toEqual([
      'not runnable: python control chaostracing.control',
      'not runnable: python provider chaosk8s.pod.actions.terminate_pods',
    ]);
    expect(unsupportedRefusal(scenario)).toMatch(/2 activities of 't' cannot run here:[\s\S]*--skip-unsupported/);
  });

  it('maps rollbacks to the restore, list arguments to an argv without empty values', () => {
    expect(scenario.rollback).toEqual([
      { verb: 'exec', description: 'heal', allowFailure: true, argv: ['echo', 'healed', '3'] },
      { verb: 'wait', duration: '1000ms', description: 'pause after heal: 1 s' },
    ]);
  });

  it('keeps the experiment, its origin and its runtime strategies', () => {
    expect(scenario.origin).toMatchObject({ format: 'chaostoolkit', path: '/abs/exp.json' });
    // The document travels in recordings and journals: literal secrets masked, env secrets only named.
    expect(scenario.origin?.document?.secrets).toEqual({ api: { token: { type: 'env', key: 'API_TOKEN' }, user: '***' } });
    expect(scenario.origin?.document?.method).toEqual(JSON.parse(text).method);
    expect(scenario.runtime).toEqual({ hypothesisStrategy: 'before-method-only', rollbackStrategy: 'deviated' });
    expect(scenario.tags).toEqual(['k8s']);
    expect(raw.title).toBe('t');
    expect(scenario.requirements.binaries).toEqual(['nc', 'true', 'echo']);
  });

  it('lists what the experiment needs for doctor', () => {
    expect(ctkRequirements(JSON.parse(text), {})).toEqual({
      extensions: ['chaosk8s'],
      pythonModules: ['chaosk8s.pod.actions'],
      controls: ['chaostracing.control'],
      binaries: ['echo', 'nc', 'true'],
      envVars: ['API_TOKEN', 'BASE_URL', 'PORT'],
      httpHosts: ['127.0.0.1:9'],
    });
  });
});

describe('refusing a bad experiment at its position', () => {
  it.each<[string, string, RegExp]>([
    ['a JSON syntax error', '{\n  "title": "t",\n  "method": [\n}', /^x\.json:4:1: /],
    ['a missing title', '{\n  "description": "d",\n  "method": []\n}', /^x\.json:1:1: experiment requires a title$/],
    ['an activity without a type', experiment({ method: [{ name: 'n', provider: { type: 'process', path: 'ls' } }] }), /^x\.json:5:5: an activity must have a type \(probe or action\)$/],
    ['an unknown provider type', experiment({ method: [action('n', { type: 'ruby', path: 'ls' })] }), /^x\.json:9:17: unknown provider type 'ruby' \(python, process or http\)$/],
    ['a process without a path', experiment({ method: [action('n', { type: 'process' })] }), /^x\.json:8:19: a process activity must have a path$/],
    ['an http provider without url', experiment({ method: [probe('n', { type: 'http' })] }), /^x\.json:8:19: a HTTP activity must have a URL$/],
    ['a bad pause', experiment({ method: [action('n', { type: 'process', path: 'ls' }, { pauses: { after: 'soon' } })] }), /^x\.json:13:18: activity after pause must be a number or a pattern/],
    ['an unknown ref', experiment({ method: [{ ref: 'nope' }] }), /^x\.json:6:14: referenced activity 'nope' could not be found in the experiment$/],
    ['a probe without tolerance', experiment({ 'steady-state-hypothesis': { title: 'h', probes: [probe('p', { type: 'process', path: 'ls' })] } }), /^x\.json:8:7: hypothesis probe must have a tolerance entry$/],
    ['an unset env variable without default', experiment({ configuration: { u: { type: 'env', key: 'NOPE' } } }), /^x\.json:6:10: configuration 'u' reads the environment variable NOPE, which is not set and has no default$/],
    ['a vault secret', experiment({ secrets: { s: { k: { type: 'vault', path: 'a/b' } } } }), /^x\.json:8:17: secret 's\.k' is of type 'vault': chaosdeck reads secrets from the environment only/],
    ['an unknown hypothesis strategy', experiment({ runtime: { hypothesis: { strategy: 'sometimes' } } }), /^x\.json:7:19: unknown hypothesis strategy 'sometimes'/],
    ['a method that is not a list', experiment({ method: { a: 1 } }), /^x\.json:4:13: the method must be a list of activities$/],
    ['an empty file', '', /^x\.json:1:1: an empty experiment is not an experiment$/],
    ['a timeout given as a reference (chaoslib validates before substituting)', experiment({ configuration: { t: 5 }, method: [action('n', { type: 'process', path: 'ls' }, { timeout: '${t}' })] }), /^x\.json:12:18: activity timeout must be a number$/],
    ['a pause whose value is text', experiment({ configuration: { nap: { type: 'env', key: 'NAP', default: '30' } }, method: [action('n', { type: 'process', path: 'ls' }, { pauses: { after: '${nap}' } })] }), /^x\.json:\d+:\d+: pause \$\{nap\} is "30", not a number of seconds/],
    ['a pause naming nothing', experiment({ method: [action('n', { type: 'process', path: 'ls' }, { pauses: { before: '${nap}' } })] }), /^x\.json:13:19: pause \$\{nap\} refers to a name the configuration and secrets do not define$/],
  ])('%s', (_, text, message) => {
    expect(importError(text)).toMatch(message);
  });

  it('reports YAML experiments at their line too', () => {
    const yaml = 'title: t\ndescription: d\nmethod:\n  - type: action\n    name: a\n    provider:\n      type: process\n      path: ls\n      timeout: soon\n';
    expect(importError(yaml, 'x.yaml')).toBe('x.yaml:9:16: process timeout must be a number of seconds');
  });
});

describe('which files are Chaos Toolkit experiments', () => {
  it.each<[string, string, boolean]>([
    ['e.json', '{}', true],
    ['e.yaml', 'title: t\nmethod: []\n', true],
    ['e.yml', 'steady-state-hypothesis:\n  title: x\n', true],
    ['s.yaml', 'id: s\ntitle: t\nsteps:\n  - phase: inject\n', false],
    ['s.yaml', 'id: s\ntitle: t\n', false],
  ])('%s %j → %s', (file, text, expected) => {
    expect(looksLikeCtkExperiment(file, text)).toBe(expected);
  });
});

describe('the k8s-resilience network-partition experiment', () => {
  it('loads, with its python providers shown as not runnable and its 30 s partition', () => {
    const { scenario } = importCtkExperiment('network-partition-experiment.json', readFileSync(join(fixtures, 'network-partition-experiment.json'), 'utf8'), { env: {} });
    expect(scenario.steps.map((s) => s.phase)).toEqual(['baseline', 'inject', 'observe', 'restore']);
    expect(scenario.steps[1]!.run.map((a) => a.verb === 'wait' ? `wait ${a.duration}` : a.verb === 'unsupported' ? a.name : a.verb)).toEqual(['chaosk8s.networking.actions.create_network_policy', 'wait 30000ms']);
    expect(scenario.steps[2]!.run[0]).toMatchObject({ verb: 'exec', argv: ['kubectl', 'get', 'pods', '-l', 'app=client-service', '-n', 'default', '-o', 'wide'] });
    expect(unsupportedActivities(scenario)).toHaveLength(4);
    expect(scenario.rollback).toMatchObject([{ verb: 'unsupported', name: 'chaosk8s.networking.actions.remove_network_policy' }]);
  });
});
