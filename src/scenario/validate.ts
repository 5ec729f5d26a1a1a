import type { DriverRegistry } from '../drivers/registry';
import { LOCAL_DRIVER } from '../drivers/registry';
import type { Environment } from './environment';
import type { Diagnostic, LoadedEnvironment, LoadedScenario } from './load';
import type { Action, Scenario } from './schema';
import { didYouMean } from './suggest';
import { stringsIn, templateValues, unresolvedReferences } from './template';

// `chaosdeck validate` before anyone is on stage: every target a scenario uses
// is declared and bound, every bound driver exists and supports every verb used
// on it, bindings fit their driver's schema, and templates resolve.

interface Located {
  readonly action: Action;
  readonly path: (string | number)[];
}

/** Every action in a scenario with its YAML path. */
export function actionsOf(scenario: Scenario): Located[] {
  const out: Located[] = [];
  scenario.steps.forEach((step, s) => step.run.forEach((action, a) => out.push({ action, path: ['steps', s, 'run', a] })));
  scenario.rollback.forEach((action, a) => out.push({ action, path: ['rollback', a] }));
  scenario.steadyState.forEach((ss, i) => { if ('probe' in ss.check) out.push({ action: ss.check.probe, path: ['steadyState', i, 'check', 'probe'] }); });
  scenario.steps.forEach((step, s) => step.expect.forEach((e, i) => {
    if (e.check && 'probe' in e.check) out.push({ action: e.check.probe, path: ['steps', s, 'expect', i, 'check', 'probe'] });
  }));
  return out;
}

/** Checks a scenario against an environment and the drivers; returns diagnostics (empty when fine). */
export function checkBindings(loaded: LoadedScenario, environment: LoadedEnvironment | { environment: Environment; file?: undefined }, registry: DriverRegistry): Diagnostic[] {
  const { scenario, source } = loaded;
  const env = environment.environment;
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string, key?: string) => out.push({ file: source.file, ...source.locate(path, key), message });
  const values = templateValues(env, {});
  const declared = Object.keys(scenario.targets);
  for (const { action, path } of actionsOf(scenario)) {
    if (action.verb === 'wait' || action.verb === 'unsupported') continue;
    const target = action.target;
    if (target !== undefined && declared.length > 0 && !scenario.targets[target]) {
      at([...path, 'target'], `unknown target '${target}'${didYouMean(target, declared)}; the scenario declares ${declared.join(', ')}`);
      continue;
    }
    const binding = target === undefined ? { driver: LOCAL_DRIVER } : env.targets[target];
    if (!binding) {
      at([...path, 'target'], `target '${target}' is not bound in environment '${env.name}'${didYouMean(target!, Object.keys(env.targets))}`);
      continue;
    }
    const driver = registry.get(binding.driver);
    if (!driver) {
      at([...path, 'target'], `target '${target}' is bound to unknown driver '${binding.driver}'${didYouMean(binding.driver, registry.keys())}`);
      continue;
    }
    if (!driver.verbs.has(action.verb)) {
      at([...path, 'verb'], `the ${driver.name} driver (bound to '${target ?? 'local'}') cannot '${action.verb}'; it supports ${[...driver.verbs].join(', ')}`);
    }
    for (const text of stringsIn(action)) {
      for (const name of unresolvedReferences(text, values)) {
        if (name.startsWith('env.')) continue;
        at(path, `unknown template value '{{ ${name} }}'${didYouMean(name, values.keys())}`);
      }
    }
  }
  return out;
}

/** Checks an environment's bindings and driver blocks against the drivers' own schemas. */
export function checkEnvironment(loaded: LoadedEnvironment, registry: DriverRegistry): Diagnostic[] {
  const { environment, source } = loaded;
  const out: Diagnostic[] = [];
  for (const [name, binding] of Object.entries(environment.targets)) {
    const driver = registry.get(binding.driver);
    if (!driver) {
      out.push({ file: source.file, ...source.locate(['targets', name, 'driver']), message: `unknown driver '${binding.driver}'${didYouMean(binding.driver, registry.keys())}` });
      continue;
    }
    // Binding schemas describe the whole binding, `driver` included.
    const result = driver.bindingSchema?.safeParse(binding);
    if (result && !result.success) {
      for (const issue of result.error.issues) {
        out.push({ file: source.file, ...source.locate(['targets', name, ...issue.path.map(String)]), message: `${binding.driver} binding: ${issue.message}` });
      }
    }
  }
  for (const [name, config] of Object.entries(environment.drivers)) {
    const driver = registry.get(name);
    if (!driver) {
      out.push({ file: source.file, ...source.locate(['drivers'], name), message: `unknown driver '${name}'${didYouMean(name, registry.keys())}` });
      continue;
    }
    const result = driver.configSchema?.safeParse(config);
    if (result && !result.success) {
      for (const issue of result.error.issues) {
        out.push({ file: source.file, ...source.locate(['drivers', name, ...issue.path.map(String)]), message: `${name} configuration: ${issue.message}` });
      }
    }
  }
  return out;
}
