import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeckError } from '../../engine/errors';
import { packDirs, packProfiles, packScenarioFiles, resolveProfilePath } from '../../scenario/catalog';
import { InputError, loadEnvironmentFile, type Diagnostic } from '../../scenario/load';
import { loadAnyScenario } from '../../scenario/load-any';
import { checkBindings, checkEnvironment } from '../../scenario/validate';
import { palette, shouldColor } from '../colors';
import { ExitCode, type CliCommand } from '../command';
import { allDrivers } from '../drivers';
import { LOCAL_ENVIRONMENT } from '../session';

// `chaosdeck validate`: every file and folder given, checked the way a run
// would check it, before anyone is on stage. Exit 0 when all is well, 2 with
// `file:line:column: message` for every problem otherwise.

function expand(paths: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const full = resolve(cwd, p);
    if (!existsSync(full)) {
      out.push(full);
      continue;
    }
    if (!statSync(full).isDirectory()) {
      out.push(full);
      continue;
    }
    const direct = packScenarioFiles(full);
    if (direct.length > 0 || packProfiles(full).size > 0) out.push(...direct);
    for (const dir of packDirs(full)) if (!dir.endsWith('/profiles')) out.push(...expand([dir], cwd));
  }
  return out;
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check scenario files and folders (and their profiles) before going on stage',
  usage: 'chaosdeck validate <files|dirs>… [--env profile]\n\n'
    + 'Checks each scenario against its schema and against its environment profile\n'
    + '(every target bound, every verb supported by its driver). Chaos Toolkit\n'
    + 'experiments are checked too. Exit 0 when all load, 2 otherwise.',
  options: { env: { type: 'string', short: 'e' }, quiet: { type: 'boolean', short: 'q' } },
  optionHelp: { env: 'check against this profile instead of each pack\'s own', quiet: 'print only problems' },
  async run(args, io) {
    const p = palette(shouldColor(io.stdout, io.env));
    const files = expand(args.positionals.length ? args.positionals : ['scenarios'], io.cwd);
    const registry = allDrivers();
    let problems = 0;
    for (const file of files) {
      const diagnostics: Diagnostic[] = [];
      let label = '';
      try {
        const scenario = await loadAnyScenario(file, io.cwd);
        label = scenario.scenario.id;
        const profileFile = resolveProfilePath(args.values.env as string | undefined, file, io.cwd);
        const environment = profileFile ? await loadEnvironmentFile(profileFile, io.cwd) : null;
        if (environment) diagnostics.push(...checkEnvironment(environment, registry));
        diagnostics.push(...checkBindings(scenario, environment ?? { environment: LOCAL_ENVIRONMENT }, registry));
        if (environment) label += p.dim(` (with ${environment.environment.name})`);
      } catch (error) {
        if (error instanceof InputError) diagnostics.push(...error.diagnostics);
        else if (isDeckError(error)) {
          io.stderr.write(`${error.message}\n`);
          problems++;
          continue;
        } else throw error;
      }
      if (diagnostics.length === 0) {
        if (args.values.quiet !== true) io.stdout.write(`${p.ok('✓')} ${file.replace(`${io.cwd}/`, '')} ${p.dim(label)}\n`);
        continue;
      }
      problems += diagnostics.length;
      for (const d of diagnostics) io.stderr.write(`${d.file}:${d.line}:${d.column}: ${p.error('error')}: ${d.message}\n`);
    }
    if (problems > 0) {
      io.stderr.write(`${problems} problem${problems === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}\n`);
      return ExitCode.usage;
    }
    return ExitCode.ok;
  },
};
