import { basename, extname } from 'node:path';
import { InputError, parseYamlSource, validateSource, type Diagnostic, type LoadedScenario, type SourceDocument } from '../load';
import { ScenarioSchema, type Action, type ScenarioInput, type Step } from '../schema';
import { activityProblems, activityToAction, convertTolerance, isRecord, secondsToDuration, type ActivityProblem, type JsonRecord } from './activity';
import { resolveValues } from './configuration';
import { substitute } from './substitute';

// A Chaos Toolkit experiment (JSON or YAML) into a chaosdeck scenario that runs
// as it is: the hypothesis is the baseline and the steady state, the method's
// activities are inject (actions) and observe (probes) steps, the hypothesis is
// checked again after the method, and the rollbacks are the restore. Anything
// chaoslib would reject is an error at the line and column where it is.

/** How an experiment is imported. */
export interface CtkImportOptions {
  /** Environment for `type: env` configuration and secrets (default: process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** The path recorded in the scenario's `origin` (default: `file`); the loader passes the absolute path. */
  readonly originPath?: string;
}

/** An imported experiment: the scenario, and the experiment as written (for journals and doctor). */
export interface ImportedExperiment extends LoadedScenario {
  readonly experiment: JsonRecord;
}

const HYPOTHESIS = 'steady-state-hypothesis';

/** True when the text looks like a Chaos Toolkit experiment rather than a chaosdeck scenario. */
export function looksLikeCtkExperiment(file: string, text: string): boolean {
  if (extname(file).toLowerCase() === '.json') return true;
  if (/^steps\s*:/m.test(text)) return false;
  return /^["']?(method|steady-state-hypothesis)["']?\s*:/m.test(text);
}

function slug(text: string): string {
  const s = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return s === '' ? 'experiment' : s;
}

function fail(diagnostics: readonly Diagnostic[]): never {
  throw new InputError('SCENARIO_INVALID', [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column));
}

/** Parses and imports an experiment; throws InputError with file:line:column for every problem found. */
export function importCtkExperiment(file: string, text: string, options: CtkImportOptions = {}): ImportedExperiment {
  const source = parseYamlSource(file, text, 'SCENARIO_INVALID');
  const diagnostics: Diagnostic[] = [];
  const at = (path: readonly (string | number)[], message: string, key?: string) => diagnostics.push({ file, ...source.locate(path, key), message });
  const problemsAt = (base: readonly (string | number)[], problems: readonly ActivityProblem[]) => {
    for (const p of problems) at([...base, ...p.path], p.message, p.key);
  };
  const raw = source.data;
  if (!isRecord(raw) || Object.keys(raw).length === 0) fail([{ file, line: 1, column: 1, message: 'an empty experiment is not an experiment' }]);
  if ('experiment' in raw && 'run' in raw && 'status' in raw) {
    fail([{ file, ...source.locate([]), message: 'this is a Chaos Toolkit journal (a run\'s record), not an experiment; its experiment is under `experiment`' }]);
  }

  const resolved = resolveValues(source, raw, options.env ?? process.env);
  diagnostics.push(...resolved.diagnostics);
  const { configuration: _configuration, secrets: _secrets, ...rest } = raw;
  const experiment = substitute(rest, resolved.values) as JsonRecord;
  // chaoslib validates activities as written, before substitution; they are converted substituted.
  const rawList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const rawHypothesis = isRecord(rest[HYPOTHESIS]) ? rest[HYPOTHESIS] : {};
  const written = { probes: rawList(rawHypothesis.probes), method: rawList(rest.method), rollbacks: rawList(rest.rollbacks) };

  if (typeof experiment.title !== 'string' || experiment.title.trim() === '') at('title' in raw ? ['title'] : [], 'experiment requires a title', 'title');
  if (typeof experiment.description !== 'string' || experiment.description.trim() === '') at('description' in raw ? ['description'] : [], 'experiment requires a description', 'description');
  const tags = experiment.tags;
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t === ''))) at(['tags'], 'experiment tags must be a list of non-empty strings');

  // Named activities, for refs: chaoslib looks them up among the method's and the hypothesis's activities.
  const named = new Map<string, JsonRecord>();
  const hypothesis = experiment[HYPOTHESIS];
  const probes: unknown[] = [];
  if (hypothesis !== undefined && hypothesis !== null) {
    if (!isRecord(hypothesis)) at([HYPOTHESIS], 'the steady-state hypothesis must be a mapping with a title and probes');
    else {
      if (typeof hypothesis.title !== 'string' || hypothesis.title === '') at([HYPOTHESIS], 'hypothesis requires a title', 'title');
      if (hypothesis.probes !== undefined && !Array.isArray(hypothesis.probes)) at([HYPOTHESIS, 'probes'], 'hypothesis probes must be a list');
      if (Array.isArray(hypothesis.probes)) probes.push(...hypothesis.probes);
    }
  }
  probes.forEach((probe, i) => {
    const path = [HYPOTHESIS, 'probes', i];
    const problems = activityProblems(written.probes[i]);
    problemsAt(path, problems);
    if (problems.length > 0 || !isRecord(probe)) return;
    if (!('ref' in probe) && !('tolerance' in probe)) at(path, 'hypothesis probe must have a tolerance entry', 'tolerance');
    if (!('ref' in probe)) named.set(String(probe.name), probe);
  });

  const method = experiment.method;
  if (method === undefined || method === null) {
    at([], 'an experiment requires a method, which can be empty for only checking steady state hypothesis', 'method');
  } else if (!Array.isArray(method)) {
    at(['method'], 'the method must be a list of activities');
  }
  const methodActivities = Array.isArray(method) ? method : [];
  methodActivities.forEach((activity, i) => {
    const problems = activityProblems(written.method[i]);
    problemsAt(['method', i], problems);
    if (problems.length === 0 && isRecord(activity) && !('ref' in activity)) named.set(String(activity.name), activity);
  });
  const lookup = (activity: JsonRecord, path: (string | number)[]): JsonRecord | null => {
    if (!('ref' in activity)) return activity;
    const found = named.get(String(activity.ref));
    if (!found) at([...path, 'ref'], `referenced activity '${String(activity.ref)}' could not be found in the experiment`);
    return found ?? null;
  };

  const rollbacks = experiment.rollbacks;
  if (rollbacks !== undefined && rollbacks !== null && !Array.isArray(rollbacks)) at(['rollbacks'], 'rollbacks must be a list of activities');
  const rollbackActivities = Array.isArray(rollbacks) ? rollbacks : [];
  rollbackActivities.forEach((_, i) => problemsAt(['rollbacks', i], activityProblems(written.rollbacks[i])));

  // Controls hook into the experiment, the hypothesis and single activities; chaosdeck runs none of them.
  const controls = [
    ...controlNames(experiment.controls, ['controls'], at),
    ...(isRecord(hypothesis) ? controlNames(hypothesis.controls, [HYPOTHESIS, 'controls'], at) : []),
    ...probes.flatMap((p, i) => (isRecord(p) ? controlNames(p.controls, [HYPOTHESIS, 'probes', i, 'controls'], at) : [])),
  ];
  const activityControls = (activity: unknown, path: (string | number)[]): Action[] =>
    (isRecord(activity) ? controlNames(activity.controls, [...path, 'controls'], at) : []).map(controlAction);
  const runtime = runtimeStrategies(experiment, at);
  if (diagnostics.length > 0) fail(diagnostics);

  // ---- conversion ---------------------------------------------------------

  // A pause still a string after substitution names something the configuration and secrets do not define.
  const unresolvedPause = (path: (string | number)[], substituted: string) => {
    const activity = rawList(rest[path[0] as string])[path[1] as number];
    const writtenPause = isRecord(activity) && isRecord(activity.pauses) ? activity.pauses[path[3] as string] : undefined;
    const text = typeof writtenPause === 'string' ? writtenPause : substituted;
    const name = /^\$\{(\w+)\}$/.exec(text)?.[1];
    const value = name === undefined ? undefined : resolved.values.get(name);
    at(path, value === undefined
      ? `pause ${text} refers to a name the configuration and secrets do not define`
      : `pause ${text} is ${JSON.stringify(value)}, not a number of seconds (an env entry can say env_var_type: float)`);
  };
  const steadyState: NonNullable<ScenarioInput['steadyState']> = [];
  const probeLines: string[] = [];
  probes.forEach((entry, i) => {
    const path = [HYPOTHESIS, 'probes', i];
    const probe = lookup(entry as JsonRecord, path);
    if (!probe) return;
    const provider = probe.provider as JsonRecord;
    const converted = convertTolerance(probe.tolerance, String(provider.type), (p) => activityToAction(p));
    if (Array.isArray(converted)) {
      problemsAt([...path, 'tolerance'], converted);
      return;
    }
    const action = activityToAction(probe);
    steadyState.push({ name: String(probe.name), check: { probe: action, path: converted.path, tolerance: converted.tolerance }, within: 0 });
    probeLines.push(`- **${String(probe.name)}** — ${describeActivity(action)}, tolerance \`${JSON.stringify(probe.tolerance)}\``);
  });

  const steps: ScenarioInput['steps'] = [];
  const hypothesisTitle = isRecord(hypothesis) && typeof hypothesis.title === 'string' ? hypothesis.title : undefined;
  const controlActions: Action[] = [...new Set(controls)].map(controlAction);
  steps.push({
    phase: 'baseline',
    title: hypothesisTitle ? `Steady state: ${hypothesisTitle}` : 'No steady-state hypothesis: just exploring',
    notes: [
      String(experiment.description ?? ''),
      probeLines.length > 0 ? `\nThe hypothesis holds when every probe is within its tolerance:\n\n${probeLines.join('\n')}` : '',
      controls.length > 0 ? `\nControls (not runnable here): ${[...new Set(controls)].join(', ')}` : '',
    ].join('\n').trim(),
    run: controlActions,
  });

  let backgroundStep: Step | null = null;
  methodActivities.forEach((entry, i) => {
    const activity = lookup(entry as JsonRecord, ['method', i]);
    if (!activity) return;
    const isBackground = activity.background === true;
    const action = activityToAction(activity, { isBackground, allowFailure: true });
    const waits = (when: 'before' | 'after'): Action[] => {
      const pause = isRecord(activity.pauses) ? activity.pauses[when] : undefined;
      if (typeof pause === 'string') unresolvedPause(['method', i, 'pauses', when], pause);
      if (typeof pause !== 'number' || pause <= 0) return [];
      return [{ verb: 'wait', duration: secondsToDuration(pause), description: `pause ${when} ${String(activity.name)}: ${pause} s` }];
    };
    const run: Action[] = [...activityControls(entry, ['method', i]), ...(isBackground ? [action] : [...waits('before'), action, ...waits('after')])];
    const phase = activity.type === 'action' ? 'inject' : 'observe';
    if (backgroundStep) {
      // chaoslib waits for background activities only at the end of the method: later activities share their step.
      backgroundStep.run.push(...run);
      if (phase === 'inject') backgroundStep.phase = 'inject';
      backgroundStep.title = `${backgroundStep.title.replace(/ \(\+\d+ more\)$/, '')} (+${backgroundStep.run.filter((a) => a.verb !== 'wait').length - 1} more)`;
      return;
    }
    const step: Step = {
      phase, title: String(activity.name), say: [], expect: [], run,
      notes: [
        `${activity.type === 'action' ? 'Action' : 'Probe'}: ${describeActivity(action)}`,
        isBackground ? 'Runs in the background; the method goes on and waits for it at its end.' : '',
        isBackground && isRecord(activity.pauses) ? `Pauses (not applied in the background): ${JSON.stringify(activity.pauses)}` : '',
      ].filter(Boolean).join('\n\n'),
    };
    steps.push(step);
    if (isBackground) backgroundStep = step;
  });

  const rollback: Action[] = [];
  rollbackActivities.forEach((entry, i) => {
    const activity = lookup(entry as JsonRecord, ['rollbacks', i]);
    if (!activity) return;
    const pause = (when: 'before' | 'after'): Action[] => {
      const seconds = isRecord(activity.pauses) ? activity.pauses[when] : undefined;
      if (typeof seconds === 'string') unresolvedPause(['rollbacks', i, 'pauses', when], seconds);
      return typeof seconds === 'number' && seconds > 0 ? [{ verb: 'wait', duration: secondsToDuration(seconds), description: `pause ${when} ${String(activity.name)}: ${seconds} s` }] : [];
    };
    rollback.push(...activityControls(entry, ['rollbacks', i]), ...pause('before'), activityToAction(activity, { allowFailure: true }), ...pause('after'));
  });
  steps.push({
    phase: 'restore',
    title: rollback.length > 0 ? 'Rollbacks' : 'Restore: no rollbacks declared',
    notes: [
      probeLines.length > 0 ? 'The hypothesis is checked again after the method: if it no longer holds, the system deviated.' : '',
      rollback.length > 0 ? `Rollbacks:\n\n${rollback.filter((a) => a.verb !== 'wait').map((a) => `- ${describeActivity(a)}`).join('\n')}` : 'The experiment declares no rollbacks.',
    ].filter(Boolean).join('\n\n'),
    run: [],
  });
  if (diagnostics.length > 0) fail(diagnostics);

  const binaries = [...new Set([...steadyState.map((s) => s.check), ...steps.flatMap((s) => s.run ?? []), ...rollback]
    .flatMap((a) => ('verb' in a ? [a] : 'probe' in a ? [a.probe] : []))
    .flatMap((a) => (a.verb === 'exec' ? [a.argv[0]!] : [])))];
  const scenario: ScenarioInput = {
    id: slug(typeof experiment.title === 'string' ? experiment.title : basename(file, extname(file))),
    title: String(experiment.title),
    summary: String(experiment.description),
    tags: Array.isArray(tags) ? (tags as string[]) : [],
    hypothesis: hypothesisTitle ?? 'No steady-state hypothesis: this experiment only explores.',
    requirements: { root: false, binaries, drivers: [] },
    steadyState,
    steps,
    rollback,
    origin: { format: 'chaostoolkit', path: options.originPath ?? file, document: withMaskedSecrets(raw) },
    ...(runtime ? { runtime } : {}),
  };
  const checked = validateSource({ ...source, data: scenario, locate: () => ({ line: 1, column: 1 }) } as SourceDocument, ScenarioSchema, 'SCENARIO_INVALID');
  return { file, source, scenario: { ...checked, pack: checked.pack ?? basename(file, extname(file)) }, experiment: raw };
}

// Literal secret values must not travel in recordings and journals; env references name a variable only.
function withMaskedSecrets(experiment: JsonRecord): JsonRecord {
  if (!isRecord(experiment.secrets)) return experiment;
  const secrets = Object.fromEntries(Object.entries(experiment.secrets).map(([scope, entries]) => [
    scope,
    isRecord(entries) ? Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, isRecord(v) && 'type' in v ? v : '***'])) : entries,
  ]));
  return { ...experiment, secrets };
}

function describeActivity(action: Action): string {
  switch (action.verb) {
    case 'exec': return `\`${action.argv.join(' ')}\``;
    case 'shell': return `\`sh -c '${action.command}'\``;
    case 'http': return `${action.method} ${action.url}`;
    case 'unsupported': return `not runnable: ${action.kind} ${action.name}`;
    default: return action.description ?? action.verb;
  }
}

function controlAction(module: string): Action {
  return { verb: 'unsupported', kind: 'python control', name: module, description: `control ${module}`, allowFailure: true };
}

/** The modules of a `controls` list at `path`, reporting malformed entries. */
function controlNames(controls: unknown, path: (string | number)[], at: (path: (string | number)[], message: string, key?: string) => void): string[] {
  if (controls === undefined || controls === null) return [];
  if (isRecord(controls)) {
    // The pre-1.0 form, a mapping of control names to settings, which chaoslib still accepts there.
    return Object.entries(controls).map(([name, spec]) => (isRecord(spec) && isRecord(spec.provider) && typeof spec.provider.module === 'string' ? spec.provider.module : name));
  }
  if (!Array.isArray(controls)) {
    at(path, 'controls must be a list');
    return [];
  }
  const names: string[] = [];
  controls.forEach((control, i) => {
    if (!isRecord(control)) return at([...path, i], 'a control must be a mapping with a name and a provider');
    if (typeof control.name !== 'string' || control.name === '') at([...path, i], 'a control must have a name', 'name');
    const provider = control.provider;
    if (!isRecord(provider)) return at([...path, i], 'a control must have a provider', 'provider');
    if (provider.type !== 'python') return at([...path, i, 'provider', 'type'], `unknown control provider type '${String(provider.type)}' (python)`);
    if (typeof provider.module !== 'string' || provider.module === '') return at([...path, i, 'provider'], 'a Python control must have a module path', 'module');
    names.push(provider.module);
  });
  return names;
}

const HYPOTHESIS_STRATEGIES = ['default', 'before-method-only', 'after-method-only', 'during-method', 'continuously'] as const;
const ROLLBACK_STRATEGIES = ['default', 'always', 'never', 'deviated'] as const;

function runtimeStrategies(experiment: JsonRecord, at: (path: (string | number)[], message: string) => void): ScenarioInput['runtime'] {
  const runtime = experiment.runtime;
  if (!isRecord(runtime)) return undefined;
  const out: NonNullable<ScenarioInput['runtime']> = {};
  const hypothesis = isRecord(runtime.hypothesis) ? runtime.hypothesis.strategy : undefined;
  if (hypothesis !== undefined) {
    if ((HYPOTHESIS_STRATEGIES as readonly unknown[]).includes(hypothesis)) out.hypothesisStrategy = hypothesis as (typeof HYPOTHESIS_STRATEGIES)[number];
    else at(['runtime', 'hypothesis', 'strategy'], `unknown hypothesis strategy '${String(hypothesis)}' (${HYPOTHESIS_STRATEGIES.join(', ')})`);
  }
  const rollbacks = isRecord(runtime.rollbacks) ? runtime.rollbacks.strategy : undefined;
  if (rollbacks !== undefined) {
    if ((ROLLBACK_STRATEGIES as readonly unknown[]).includes(rollbacks)) out.rollbackStrategy = rollbacks as (typeof ROLLBACK_STRATEGIES)[number];
    else at(['runtime', 'rollbacks', 'strategy'], `unknown rollback strategy '${String(rollbacks)}' (${ROLLBACK_STRATEGIES.join(', ')})`);
  }
  return out;
}
