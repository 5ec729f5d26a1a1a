import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ctkRequirements, type CtkRequirements } from '../scenario/ctk/requirements';
import { palette } from './colors';

// `chaosdeck doctor experiment.json`: what a Chaos Toolkit experiment needs
// from this machine, and what of it is missing. chaosdeck runs process and
// http providers itself; Python extensions and controls it can only show.

/** One experiment's requirements and whether each is met here. */
export interface ExperimentReport {
  readonly file: string;
  readonly requirements: CtkRequirements;
  readonly missingBinaries: readonly string[];
  readonly missingEnv: readonly string[];
}

/** True when the data looks like a Chaos Toolkit experiment rather than a chaosdeck scenario. */
export function isCtkExperiment(data: unknown): boolean {
  return typeof data === 'object' && data !== null && ('method' in data || 'steady-state-hypothesis' in data);
}

/** Reads an experiment and checks its requirements against the PATH and the environment. */
export async function diagnoseExperiment(
  file: string,
  env: NodeJS.ProcessEnv,
  hasBinary: (name: string) => boolean,
  cwd = process.cwd(),
): Promise<ExperimentReport | null> {
  const data: unknown = parse(await readFile(resolve(cwd, file), 'utf8'));
  if (!isCtkExperiment(data)) return null;
  const requirements = ctkRequirements(data, env);
  return {
    file,
    requirements,
    missingBinaries: requirements.binaries.filter((b) => !hasBinary(b)),
    missingEnv: requirements.envVars.filter((name) => env[name] === undefined),
  };
}

/** The report as text. */
export function renderExperimentReport(report: ExperimentReport, isColor: boolean): string {
  const p = palette(isColor);
  const { requirements: r } = report;
  const lines = [p.bold(`${report.file} (Chaos Toolkit experiment)`)];
  const list = (label: string, items: readonly string[], state: (item: string) => string) => {
    if (items.length > 0) lines.push(`  ${label}`, ...items.map((item) => `    ${state(item)} ${item}`));
  };
  list('programs its process providers run:', r.binaries, (b) => (report.missingBinaries.includes(b) ? p.error('✗') : p.ok('✓')));
  list('environment variables it reads:', r.envVars, (v) => (report.missingEnv.includes(v) ? p.warn('unset') : p.ok('set')));
  list('hosts its http providers call:', r.httpHosts, () => p.dim('•'));
  list('extensions it names (Python; chaosdeck does not run them):', r.extensions, () => p.warn('–'));
  list('python providers (shown as not runnable; --auto needs --skip-unsupported):', r.pythonModules, () => p.warn('–'));
  list('controls (not runnable here):', r.controls, () => p.warn('–'));
  const isReady = report.missingBinaries.length === 0 && report.missingEnv.length === 0 && r.pythonModules.length === 0;
  lines.push(isReady ? `  ${p.ok('ready to run')}` : `  ${p.warn('runs with gaps:')} ${[
    ...report.missingBinaries.map((b) => `install ${b}`),
    ...report.missingEnv.map((v) => `export ${v}=…`),
    ...(r.pythonModules.length ? ['python providers will be skipped'] : []),
  ].join('; ')}`);
  return `${lines.join('\n')}\n`;
}
