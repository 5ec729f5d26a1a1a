import { isRecord } from './activity';
import { substituteString } from './substitute';

// What an experiment needs from the machine that runs it, for `chaosdeck
// doctor`: the Chaos Toolkit extensions and Python modules it names (which
// chaosdeck cannot run), the programs its process providers start, the
// environment variables it reads, and its controls.

/** An experiment's requirements, each list sorted and without duplicates. */
export interface CtkRequirements {
  /** Names from the experiment's `extensions` block. */
  readonly extensions: readonly string[];
  /** Python modules of python providers (not runnable here). */
  readonly pythonModules: readonly string[];
  /** Python modules of controls (not runnable here). */
  readonly controls: readonly string[];
  /** Programs process providers run. */
  readonly binaries: readonly string[];
  /** Environment variables read by `type: env` configuration and secrets. */
  readonly envVars: readonly string[];
  /** Hosts HTTP providers call (`${name}` resolved from the configuration where it can be). */
  readonly httpHosts: readonly string[];
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Lists what an experiment (the raw JSON/YAML data) needs; never throws on odd shapes. */
export function ctkRequirements(experiment: unknown, env: NodeJS.ProcessEnv = process.env): CtkRequirements {
  const extensions: string[] = [];
  const pythonModules: string[] = [];
  const controls: string[] = [];
  const binaries: string[] = [];
  const envVars: string[] = [];
  const httpHosts: string[] = [];
  if (!isRecord(experiment)) return { extensions, pythonModules, controls, binaries, envVars, httpHosts };
  const values = new Map<string, unknown>();
  for (const [name, entry] of Object.entries(isRecord(experiment.configuration) ? experiment.configuration : {})) {
    if (!isRecord(entry)) values.set(name, entry);
    else if (entry.type === 'env' && typeof entry.key === 'string' && (env[entry.key] ?? entry.default) !== undefined) values.set(name, env[entry.key] ?? entry.default);
  }

  for (const extension of Array.isArray(experiment.extensions) ? experiment.extensions : []) {
    if (isRecord(extension) && typeof extension.name === 'string') extensions.push(extension.name);
  }
  const visitControls = (list: unknown) => {
    for (const control of Array.isArray(list) ? list : []) {
      if (isRecord(control) && isRecord(control.provider) && typeof control.provider.module === 'string') controls.push(control.provider.module);
    }
  };
  visitControls(experiment.controls);
  const visitActivity = (activity: unknown) => {
    if (!isRecord(activity)) return;
    visitControls(activity.controls);
    const provider = activity.provider;
    if (!isRecord(provider)) return;
    if (provider.type === 'python' && typeof provider.module === 'string') pythonModules.push(provider.module);
    if (provider.type === 'process' && typeof provider.path === 'string') binaries.push(provider.path);
    if (provider.type === 'http' && typeof provider.url === 'string') {
      const url = String(substituteString(provider.url, values));
      try {
        httpHosts.push(new URL(url).host);
      } catch {
        httpHosts.push(url);
      }
    }
    if (isRecord(activity.tolerance) && activity.tolerance.type === 'probe') visitActivity(activity.tolerance);
  };
  const hypothesis = experiment['steady-state-hypothesis'];
  if (isRecord(hypothesis)) {
    visitControls(hypothesis.controls);
    for (const probe of Array.isArray(hypothesis.probes) ? hypothesis.probes : []) visitActivity(probe);
  }
  for (const activity of Array.isArray(experiment.method) ? experiment.method : []) visitActivity(activity);
  for (const activity of Array.isArray(experiment.rollbacks) ? experiment.rollbacks : []) visitActivity(activity);
  const visitEnv = (entries: unknown) => {
    if (!isRecord(entries)) return;
    for (const entry of Object.values(entries)) {
      if (isRecord(entry) && entry.type === 'env' && typeof entry.key === 'string') envVars.push(entry.key);
    }
  };
  visitEnv(experiment.configuration);
  if (isRecord(experiment.secrets)) for (const scope of Object.values(experiment.secrets)) visitEnv(scope);
  return {
    extensions: sorted(extensions),
    pythonModules: sorted(pythonModules),
    controls: sorted(controls),
    binaries: sorted(binaries),
    envVars: sorted(envVars),
    httpHosts: sorted(httpHosts),
  };
}



