import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Driver, DoctorCheck } from '../../drivers/driver';
import { dockerDriver } from '../../drivers/docker';
import { createExecRunner, type CommandRunner } from '../../drivers/exec';
import { kubectlDriver } from '../../drivers/kubectl';
import { ociDriver } from '../../drivers/oci';
import { sshDriver } from '../../drivers/ssh';
import { closeSshConnections } from '../../drivers/ssh-connection';
import { toxiproxyDriver } from '../../drivers/toxiproxy';
import { messageOf } from '../../engine/errors';
import { builtinScenarioRoot, listScenarios, packDirs, packProfiles } from '../../scenario/catalog';
import type { Environment } from '../../scenario/environment';
import { loadEnvironmentFile } from '../../scenario/load';
import type { Scenario } from '../../scenario/schema';
import { palette, shouldColor } from '../colors';
import { ExitCode, type CliCommand } from '../command';
import { diagnoseExperiment, renderExperimentReport } from '../doctor-experiment';
import { allDrivers } from '../drivers';

// `chaosdeck doctor`: before going on stage, which drivers work on this
// machine (binary, version, context, credentials, reachability) and which
// packs can run here, with a fix for every missing piece.

/** What a scenario needs, as its `requirements` block says. */
export type Requirements = Scenario['requirements'];

/** Where to look for binaries and whether we are root; the real process by default. */
export interface CanRunOptions {
  readonly path?: string;
  readonly isRoot?: boolean;
}

const DRIVER_BINARIES: Readonly<Record<string, string>> = { docker: 'docker', kubectl: 'kubectl', oci: 'oci' };

const INSTALL_HINTS: Readonly<Record<string, string>> = {
  docker: 'apt-get install docker.io (or Docker Desktop)',
  kubectl: 'install kubectl: https://kubernetes.io/docs/tasks/tools/',
  oci: 'install the OCI CLI: https://docs.oracle.com/iaas/Content/API/SDKDocs/cliinstall.htm',
  bpftrace: 'apt-get install bpftrace (needs root)',
  'stress-ng': 'apt-get install stress-ng',
  jq: 'apt-get install jq',
  tc: 'apt-get install iproute2',
  iptables: 'apt-get install iptables',
  ssh: 'apt-get install openssh-client',
  curl: 'apt-get install curl',
  prometheus: 'apt-get install prometheus',
};

/** True when an executable named `name` is on `path`. */
export function hasBinary(name: string, path = process.env.PATH ?? ''): boolean {
  if (name.includes('/')) return isExecutable(name);
  return path.split(delimiter).some((dir) => dir && isExecutable(join(dir, name)));
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Whether a scenario with these requirements can run here: root, binaries on
 * PATH, the binaries its drivers call, and (given a profile) a target bound to
 * each required driver. `missing` reads as a list a presenter can act on.
 */
export function canRun(requirements: Requirements, environment?: Environment, options: CanRunOptions = {}): { isOk: boolean; missing: string[] } {
  const path = options.path ?? process.env.PATH ?? '';
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const missing: string[] = [];
  if (requirements.root && !isRoot) missing.push('root (run chaosdeck with sudo)');
  for (const binary of requirements.binaries) if (!hasBinary(binary, path)) missing.push(`${binary} (not on PATH)`);
  for (const driver of requirements.drivers) {
    const binary = DRIVER_BINARIES[driver];
    if (binary && !requirements.binaries.includes(binary) && !hasBinary(binary, path)) missing.push(`${binary} (for the ${driver} driver; not on PATH)`);
    if (environment && !Object.values(environment.targets).some((t) => t.driver === driver)) {
      missing.push(`a target bound to the ${driver} driver (profile ${environment.name} has none)`);
    }
  }
  return { isOk: missing.length === 0, missing };
}

/** The fix for one entry of `canRun(...).missing`. */
export function fixFor(missing: string): string {
  if (missing.startsWith('root')) return 'run as root: sudo chaosdeck …';
  if (missing.startsWith('a target bound')) return 'bind a target to that driver in the profile, or use the pack\'s own profile (--env)';
  const binary = missing.split(' ')[0] ?? '';
  return INSTALL_HINTS[binary] ?? `install ${binary} and put it on PATH`;
}

/** Every driver doctor knows: the CLI's registry, plus the real-environment drivers not registered there yet. */
function doctorDrivers(): Map<string, Driver> {
  const drivers = new Map<string, Driver>([dockerDriver, kubectlDriver, sshDriver, ociDriver, toxiproxyDriver].map((d) => [d.name, d]));
  for (const [name, driver] of allDrivers()) drivers.set(name, driver);
  return drivers;
}

async function checkDriver(driver: Driver, config: Readonly<Record<string, unknown>>, runner: CommandRunner): Promise<DoctorCheck[]> {
  if (!driver.doctor) return [{ name: driver.name, isOk: true, detail: 'nothing to check' }];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DoctorCheck[]>((resolve) => {
    timer = setTimeout(() => resolve([{ name: driver.name, isOk: false, detail: 'checks did not finish within 60 s', fix: 'check the network path to this driver\'s system' }]), 60_000);
  });
  try {
    return await Promise.race([driver.doctor(config, runner), timeout]);
  } catch (error) {
    return [{ name: driver.name, isOk: false, detail: messageOf(error), fix: 'fix the drivers.' + driver.name + ' block of the profile' }];
  } finally {
    clearTimeout(timer);
  }
}

function findProfile(reference: string, cwd: string): string {
  const direct = isAbsolute(reference) ? reference : resolve(cwd, reference);
  if (existsSync(direct)) return direct;
  for (const dir of packDirs(builtinScenarioRoot())) {
    const named = packProfiles(dir).get(reference) ?? packProfiles(dir).get(`${basename(dir)}-${reference}`);
    if (named) return named;
  }
  return direct;
}

/** The report doctor prints, also its --json shape. */
export interface DoctorReport {
  readonly environment: string | null;
  readonly drivers: { name: string; isUsed: boolean; checks: DoctorCheck[] }[];
  readonly packs: { pack: string; scenarios: { id: string; file: string; isOk: boolean; missing: string[]; fixes: string[] }[] }[];
}

/** Builds the report: driver checks (all drivers, or those the profile uses) and every pack's scenarios. */
export async function diagnose(options: { environment?: Environment; env: NodeJS.ProcessEnv; root?: string }): Promise<DoctorReport> {
  const runner = createExecRunner();
  const withEnv: CommandRunner = { run: (spec, runOptions) => runner.run({ ...spec, env: { ...(options.env as Record<string, string>), ...spec.env } }, runOptions) };
  const { environment } = options;
  const used = new Set(environment ? [...Object.values(environment.targets).map((t) => t.driver), ...Object.keys(environment.drivers), ...environment.sources.map((s) => s.from)] : []);
  const drivers = [...doctorDrivers().values()].filter((d) => !environment || used.has(d.name));
  try {
    const checked = await Promise.all(drivers.map(async (driver) => ({
      name: driver.name,
      isUsed: used.has(driver.name),
      checks: await checkDriver(driver, environment?.drivers[driver.name] ?? {}, withEnv),
    })));
    const packs = new Map<string, DoctorReport['packs'][number]['scenarios']>();
    for (const entry of await listScenarios(options.root)) {
      const list = packs.get(entry.pack) ?? [];
      packs.set(entry.pack, list);
      if (!entry.loaded) {
        list.push({ id: basename(entry.file), file: entry.file, isOk: false, missing: [`a valid scenario file (${entry.error ?? 'does not load'})`], fixes: ['chaosdeck validate ' + entry.file] });
        continue;
      }
      const verdict = canRun(entry.loaded.scenario.requirements, environment, { path: options.env.PATH ?? '' });
      list.push({ id: entry.loaded.scenario.id, file: entry.file, ...verdict, fixes: verdict.missing.map(fixFor) });
    }
    return { environment: environment?.name ?? null, drivers: checked, packs: [...packs].map(([pack, scenarios]) => ({ pack, scenarios })) };
  } finally {
    await closeSshConnections();
  }
}

function render(report: DoctorReport, isColor: boolean): string {
  const p = palette(isColor);
  const out: string[] = [p.bold(`Drivers${report.environment ? ` used by ${report.environment}` : ''}`)];
  for (const driver of report.drivers) {
    const isOk = driver.checks.every((c) => c.isOk);
    out.push(`  ${isOk ? p.ok('✓') : p.error('✗')} ${p.bold(driver.name)}`);
    for (const check of driver.checks) {
      out.push(`      ${check.isOk ? p.ok('✓') : p.error('✗')} ${check.name}: ${check.detail}`);
      if (!check.isOk && check.fix) out.push(`        ${p.warn('fix:')} ${check.fix}`);
    }
  }
  out.push('', p.bold('Packs'));
  for (const pack of report.packs) {
    const runnable = pack.scenarios.filter((s) => s.isOk).length;
    out.push(`  ${runnable === pack.scenarios.length ? p.ok('✓') : p.warn('!')} ${p.bold(pack.pack)} ${p.dim(`${runnable}/${pack.scenarios.length} can run here`)}`);
    for (const scenario of pack.scenarios.filter((s) => !s.isOk)) {
      out.push(`      ${p.error('✗')} ${scenario.id}: needs ${scenario.missing.join(', ')}`);
      for (const fix of [...new Set(scenario.fixes)]) out.push(`        ${p.warn('fix:')} ${fix}`);
    }
  }
  return `${out.join('\n')}\n`;
}

// `chaosdeck doctor`, registered in commands/index.ts.
export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check which drivers work here and which packs can run',
  usage: 'chaosdeck doctor [--env profile] [--json] [experiment.json…]\n\n'
    + 'Checks every driver (binary, version, context, credentials, reachability) —\n'
    + 'or, with --env, the drivers that profile uses, with its configuration — and\n'
    + 'whether each pack\'s scenarios can run here, with a fix for each missing piece.\n'
    + 'Given Chaos Toolkit experiments, lists the extensions, programs and variables each needs.\n'
    + 'Exit 0 when everything checked is usable; 1 when a profile\'s driver fails a check.',
  options: { env: { type: 'string', short: 'e' }, json: { type: 'boolean' } },
  optionHelp: { env: 'a profile file or a pack profile name; check its drivers with its configuration', json: 'print the report as JSON' },
  async run(args, io) {
    const reference = args.values.env as string | undefined;
    let environment: Environment | undefined;
    if (reference) {
      try {
        environment = (await loadEnvironmentFile(findProfile(reference, io.cwd), io.cwd)).environment;
      } catch (error) {
        io.stderr.write(`${messageOf(error)}\n`);
        return ExitCode.usage;
      }
    }
    if (args.positionals.length > 0) {
      let isReady = true;
      for (const file of args.positionals) {
        const experiment = await diagnoseExperiment(file, io.env, (b) => canRun({ root: false, binaries: [b], drivers: [] }, undefined).isOk, io.cwd);
        if (!experiment) {
          io.stderr.write(`${file}: not a Chaos Toolkit experiment (scenarios are checked by \`chaosdeck validate\`)\n`);
          return ExitCode.usage;
        }
        isReady &&= experiment.missingBinaries.length === 0;
        io.stdout.write(args.values.json === true ? `${JSON.stringify(experiment, null, 2)}\n` : renderExperimentReport(experiment, shouldColor(io.stdout, io.env)));
      }
      return isReady ? ExitCode.ok : ExitCode.failed;
    }
    const report = await diagnose({ environment, env: io.env });
    io.stdout.write(args.values.json === true ? `${JSON.stringify(report, null, 2)}\n` : render(report, shouldColor(io.stdout, io.env)));
    const hasFailure = report.drivers.some((d) => d.isUsed && d.checks.some((c) => !c.isOk));
    return environment && hasFailure ? ExitCode.failed : ExitCode.ok;
  },
};
