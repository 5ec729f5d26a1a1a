import { describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { canRun, doctorCommand, fixFor, type DoctorReport } from '../../src/cli/commands/doctor';
import { testEnvironment } from '../fixtures/drivers/context';

// `chaosdeck doctor` run as the CLI runs it, with a PATH the test controls:
// the OCI CLI stand-in (test/fixtures/oci-standin) and node, nothing else.

const STANDIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'oci-standin');

function binDir(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-bin-'));
  for (const name of names) {
    writeFileSync(join(dir, name), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

describe('canRun', () => {
  const path = binDir('docker', 'jq');
  const requirements = (input: Partial<{ root: boolean; binaries: string[]; drivers: string[] }>) => ({ root: false, binaries: [], drivers: [], ...input });

  it.each([
    ['nothing required', requirements({}), true, []],
    ['binaries present', requirements({ binaries: ['docker', 'jq'] }), true, []],
    ['a binary missing', requirements({ binaries: ['bpftrace'] }), false, ['bpftrace (not on PATH)']],
    ['root required', requirements({ root: true }), false, ['root (run chaosdeck with sudo)']],
    ['a driver whose binary is missing', requirements({ drivers: ['kubectl'] }), false, ['kubectl (for the kubectl driver; not on PATH)']],
    ['a driver without a binary', requirements({ drivers: ['ssh'] }), true, []],
  ])('%s', (_name, needs, isOk, missing) => {
    expect(canRun(needs, undefined, { path, isRoot: false })).toEqual({ isOk, missing });
  });

  it('checks that the profile binds a target to each required driver', () => {
    const environment = testEnvironment({ name: 'laptop', targets: { redis: { driver: 'lab', service: 'cache' } } });
    expect(canRun(requirements({ drivers: ['docker'] }), environment, { path, isRoot: false }).missing).toEqual(['a target bound to the docker driver (profile laptop has none)']);
  });

  it('gives a fix for every kind of missing piece', () => {
    expect(fixFor('bpftrace (not on PATH)')).toBe('apt-get install bpftrace (needs root)');
    expect(fixFor('root (run chaosdeck with sudo)')).toMatch(/sudo/);
    expect(fixFor('frobnicate (not on PATH)')).toBe('install frobnicate and put it on PATH');
  });
});

describe('chaosdeck doctor', () => {
  async function runDoctor(args: string[], pathDirs: string[]) {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const nodeDir = mkdtempSync(join(tmpdir(), 'doctor-node-'));
    symlinkSync(process.execPath, join(nodeDir, 'node'));
    const stateFile = join(mkdtempSync(join(tmpdir(), 'doctor-oci-')), 'state.json');
    writeFileSync(stateFile, JSON.stringify({ namespace: 'bharatmart', instances: {}, backends: {}, alarms: [], metrics: [] }));
    const env = { ...process.env, PATH: [...pathDirs, nodeDir].join(':'), OCI_STANDIN_STATE: stateFile, HOME: mkdtempSync(join(tmpdir(), 'doctor-home-')) };
    const values = args.includes('--json') ? { json: true } : {};
    const envIndex = args.indexOf('--env');
    const code = await doctorCommand.run(
      { values: { ...values, ...(envIndex >= 0 ? { env: args[envIndex + 1] } : {}) }, positionals: [] },
      { stdout, stderr, stdin: new PassThrough(), env, cwd: process.cwd() },
    );
    return { code, out, err };
  }

  it('checks the drivers a profile uses with its configuration, and says what to fix', async () => {
    const profile = join(mkdtempSync(join(tmpdir(), 'doctor-profile-')), 'tenancy.yaml');
    writeFileSync(profile, [
      'name: tenancy',
      'drivers:',
      '  oci: {auth: instance_principal, compartment: ocid1.compartment.oc1..shop}',
      '  toxiproxy: {url: "http://127.0.0.1:9"}',
      'targets:',
      '  api: {driver: oci, instance: ocid1.instance.oc1..api1}',
      '  cache: {driver: toxiproxy, proxy: redis}',
    ].join('\n'));
    const { code, out } = await runDoctor(['--env', profile, '--json'], [STANDIN]);
    const report = JSON.parse(out) as DoctorReport;
    expect(report.environment).toBe('tenancy');
    expect(report.drivers.map((d) => d.name).sort()).toEqual(['oci', 'toxiproxy']);
    const oci = report.drivers.find((d) => d.name === 'oci')!;
    expect(oci.checks.every((c) => c.isOk)).toBe(true);
    const toxiproxy = report.drivers.find((d) => d.name === 'toxiproxy')!;
    expect(toxiproxy.checks[0]).toMatchObject({ isOk: false, fix: expect.stringContaining('toxiproxy') });
    expect(code).toBe(1);
    const docker = report.packs.find((p) => p.pack === 'docker-ml-observability');
    expect(docker?.scenarios.find((s) => s.id === 'redis-failure')).toMatchObject({
      isOk: false,
      missing: expect.arrayContaining(['docker (not on PATH)', 'a target bound to the docker driver (profile tenancy has none)']),
    });
  });

  it('prints a readable report of every driver without a profile', async () => {
    const { code, out } = await runDoctor([], [binDir('kubectl')]);
    expect(code).toBe(0);
    expect(out).toMatch(/✗ docker\n\s+✗ docker binary: docker not found\n\s+fix: install the docker CLI/);
    expect(out).toMatch(/✗ oci\n\s+✗ oci binary: oci not found/);
    expect(out).toContain('Packs');
  });

  it('refuses a profile that does not exist', async () => {
    const { code, err } = await runDoctor(['--env', '/nonexistent/profile.yaml'], []);
    expect(code).toBe(2);
    expect(err).toMatch(/profile\.yaml/);
  });
});
