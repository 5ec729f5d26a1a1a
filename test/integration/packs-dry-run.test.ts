import { execaSync } from 'execa';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDockerEngine, type FakeDockerEngine } from '../fixtures/drivers/docker-engine';
import { startFakeKubeApi, type FakeKubeApi } from '../fixtures/drivers/kube-api';
import { repoRoot, spawnCli, tempDir } from '../helpers';

// The real-environment packs run with --dry-run: every command is shown and
// none that changes anything runs. The read-only commands a driver needs for
// its plan (docker inspect, kubectl get, oci … get) go to stand-ins: the real
// docker CLI against an Engine API on a unix socket, the real kubectl against
// a local API server, the OCI CLI stand-in. The argv of each command.started
// event is checked against the command line of the training document.

const has = (binary: string, args: string[]) => {
  try {
    execaSync(binary, args);
    return true;
  } catch {
    return false;
  }
};
const hasDocker = has('docker', ['--version']);
const hasKubectl = has('kubectl', ['version', '--client']);
if (!hasDocker) console.warn('skipping docker pack dry-runs: the `docker` binary is not installed');
if (!hasKubectl) console.warn('skipping kubectl pack dry-runs: the `kubectl` binary is not installed');

interface Started { argv: string[]; isDryRun: boolean }

/** A profile as parsed YAML, with the `drivers` block the tests patch. */
type Profile = { drivers: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** Writes a copy of a pack's template profile with `patch` applied, returns its path. */
function profileFrom(pack: string, dir: string, patch: (profile: Profile) => void): string {
  const profile = parse(readFileSync(join(repoRoot, 'scenarios', pack, 'profiles', 'template.yaml'), 'utf8')) as Profile;
  patch(profile);
  const file = join(dir, `${pack}.yaml`);
  writeFileSync(file, stringify(profile));
  return file;
}

async function dryRun(reference: string, profile: string, env: Record<string, string> = {}, cwd = tempDir('chaosdeck-dry-cwd-')): Promise<{ commands: Started[]; code: number; cwd: string; stderr: string }> {
  const cli = spawnCli(['run', reference, '--env', profile, '--dry-run', '--auto', '--pace', '0', '--json', '--no-record', '--yes'], { env: { XDG_STATE_HOME: tempDir('chaosdeck-dry-state-'), ...env }, cwd });
  const code = await cli.exited;
  const events = cli.stdout().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string } & Record<string, unknown>);
  const commands = events.filter((e) => e.type === 'command.started').map((e) => ({ argv: e.argv as string[], isDryRun: e.isDryRun as boolean }));
  return { commands, code, cwd, stderr: cli.stderr() };
}

/** The commands that would change something (read-only ones run for real and are left out). */
const planned = (commands: Started[]) => commands.filter((c) => c.isDryRun).map((c) => c.argv);

describe.skipIf(!hasDocker)('docker packs, dry-run', () => {
  let engine: FakeDockerEngine;
  let host: string;
  const dir = tempDir('chaosdeck-dry-profiles-');
  beforeAll(async () => {
    const names = ['fraud-api', 'redis', 'otel-collector', 'simulated-exchange-postgres', 'simulated-exchange-redis', 'simulated-exchange-trading-api', 'simulated-exchange-nginx', 'voketag-redis', 'voketag-postgres', 'voketag-api'];
    engine = await startFakeDockerEngine(names.map((name) => ({ name, status: 'running', networks: ['ml-observability'] })));
    host = `unix://${engine.socketPath}`;
  });
  afterAll(async () => {
    await engine?.close();
  });
  const withHost = (pack: string) => profileFrom(pack, dir, (p) => {
    p.drivers.docker = { ...(p.drivers.docker ?? {}), host };
  });

  it.each([
    ['docker-ml-observability/redis-failure', [['stop', '--time', '10', 'redis'], ['start', 'redis']]],
    ['docker-ml-observability/otel-collector-failure', [['stop', '--time', '10', 'otel-collector'], ['start', 'otel-collector']]],
    ['docker-ml-observability/network-partition', [['network', 'disconnect', 'ml-observability', 'redis'], ['network', 'connect', 'ml-observability', 'redis']]],
    ['docker-ml-observability/slow-dependency', [['exec', 'redis', 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', '100ms'], ['exec', 'redis', 'tc', 'qdisc', 'del', 'dev', 'eth0', 'root']]],
    ['trading-exchange/01-database-sudden-death', [['kill', '--signal', 'SIGKILL', 'simulated-exchange-postgres'], ['start', 'simulated-exchange-postgres']]],
    ['trading-exchange/08-nginx-failure', [['kill', '--signal', 'SIGKILL', 'simulated-exchange-nginx'], ['start', 'simulated-exchange-nginx']]],
    ['trading-exchange/09-network-latency', [
      ['exec', 'simulated-exchange-trading-api', 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', '50ms'],
      ['exec', 'simulated-exchange-trading-api', 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', '100ms'],
      ['exec', 'simulated-exchange-trading-api', 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'netem', 'delay', '200ms'],
    ]],
    ['voketag/database-failure', [['stop', 'voketag-postgres'], ['start', 'voketag-postgres']]],
    ['voketag/high-cpu', [['exec', '-d', 'voketag-api', 'stress-ng', '--cpu', '2', '--cpu-load', '90', '--timeout', '120s'], ['exec', 'voketag-api', 'pkill', 'stress-ng']]],
  ] as const)('%s shows the docker commands of the document', async (reference, expected) => {
    const pack = reference.split('/')[0]!;
    const { commands, code, stderr } = await dryRun(reference, withHost(pack));
    expect(code, stderr).toBe(0);
    const docker = planned(commands).filter((argv) => argv[0] === 'docker').map((argv) => argv.slice(3));
    for (const argv of expected) expect(docker, `${reference} plans docker ${argv.join(' ')}`).toContainEqual([...argv]);
    for (const argv of planned(commands)) if (argv[0] === 'docker') expect(argv.slice(0, 3)).toEqual(['docker', '--host', host]);
  });

  it('runs the leak loop of the memory-pressure scenario exactly', async () => {
    const { commands, code } = await dryRun('docker-ml-observability/memory-pressure', withHost('docker-ml-observability'));
    expect(code).toBe(0);
    expect(planned(commands)).toContainEqual(['bash', '-c', 'for i in {1..100}; do curl -s http://localhost:8000/debug/leak; done']);
  });

  it('writes the classic per-experiment log for a trading-exchange run', async () => {
    const { cwd, code } = await dryRun('trading-exchange/01-database-sudden-death', withHost('trading-exchange'));
    expect(code).toBe(0);
    const logs = readdirSync(join(cwd, 'logs'));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^chaos-exp-01-\d{8}-\d{6}\.log$/);
    const text = readFileSync(join(cwd, 'logs', logs[0]!), 'utf8');
    expect(text).toMatch(/=== Chaos Experiment: 01 Database sudden death ===/);
    expect(text).toMatch(/\$ docker --host \S+ kill --signal SIGKILL simulated-exchange-postgres {3}\(dry run: not executed\)/);
    expect(text).toMatch(/✓ done in \d+ ms/);
  });
});

describe.skipIf(!hasKubectl)('k8s-resilience, dry-run', () => {
  let api: FakeKubeApi;
  const dir = tempDir('chaosdeck-dry-k8s-');
  beforeAll(async () => {
    const pod = (name: string, app: string) => ({ metadata: { name, labels: { app } }, status: { phase: 'Running' } });
    api = await startFakeKubeApi({ pods: [pod('client-service-7d9f-abcde', 'client-service'), pod('backend-service-5c8b-fghij', 'backend-service')] });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('partitions with a NetworkPolicy (no Chaos Mesh here) that only cuts client → backend, and deletes it on restore', async () => {
    const profile = profileFrom('k8s-resilience', dir, (p) => {
      p.drivers.kubectl = { ...p.drivers.kubectl, kubeconfig: api.kubeconfig, validate: false };
    });
    const state = tempDir('chaosdeck-dry-state-');
    const cli = spawnCli(['run', 'k8s-resilience/network-partition', '--env', profile, '--dry-run', '--auto', '--pace', '0', '--json', '--no-record'], { env: { XDG_STATE_HOME: state }, cwd: tempDir() });
    expect(await cli.exited, cli.stderr()).toBe(0);
    const commands = cli.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.type === 'command.started') as unknown as Started[];
    const kubectl = ['kubectl', '--kubeconfig', api.kubeconfig, '--namespace', 'default'];
    const manifest = join(state, 'chaosdeck', 'kubectl', 'chaosdeck-partition-client.yaml');
    expect(planned(commands)).toContainEqual([...kubectl, 'apply', '--validate=false', '-f', manifest]);
    expect(planned(commands)).toContainEqual([...kubectl, 'delete', 'networkpolicy.networking.k8s.io', 'chaosdeck-partition-client', '--ignore-not-found']);
    const policy = parse(readFileSync(manifest, 'utf8')) as { kind: string; spec: { podSelector: unknown; policyTypes: string[] } };
    expect(policy.kind).toBe('NetworkPolicy');
    expect(policy.spec.podSelector).toEqual({ matchLabels: { app: 'client-service' } });
    expect(policy.spec.policyTypes).toEqual(['Egress']);
  });

  it('runs the iptables variant inside the client pod, with its undo', async () => {
    const profile = profileFrom('k8s-resilience', dir, (p) => {
      p.drivers.kubectl = { ...p.drivers.kubectl, kubeconfig: api.kubeconfig, validate: false };
    });
    const { commands, code, stderr } = await dryRun('k8s-resilience/network-partition-iptables', profile);
    expect(code, stderr).toBe(0);
    const kubectl = ['kubectl', '--kubeconfig', api.kubeconfig, '--namespace', 'default', 'exec', 'client-service-7d9f-abcde', '--'];
    expect(planned(commands)).toContainEqual([...kubectl, 'iptables', '-A', 'OUTPUT', '-d', '10.96.0.42', '-j', 'DROP']);
  });
});

describe('oci-bharatmart, dry-run', () => {
  const standin = join(repoRoot, 'test', 'fixtures', 'oci-standin');
  it('stops the backend instance with the OCI CLI and starts it on restore', async () => {
    const dir = tempDir('chaosdeck-dry-oci-');
    const profile = profileFrom('oci-bharatmart', dir, () => undefined);
    const instance = 'ocid1.instance.oc1.ap-mumbai-1.REPLACE-WITH-BACKEND-2';
    const stateFile = join(dir, 'oci-state.json');
    writeFileSync(stateFile, JSON.stringify({ instances: { [instance]: { displayName: 'bharatmart-backend-2', state: 'RUNNING' } }, backends: {}, alarms: [], metrics: [] }));
    writeFileSync(join(dir, 'oci.log'), '');
    const { commands, code, stderr } = await dryRun('oci-bharatmart/instance-failure', profile, { PATH: `${standin}:${process.env.PATH}`, OCI_STANDIN_STATE: stateFile, OCI_STANDIN_LOG: join(dir, 'oci.log') });
    expect(code, stderr).toBe(0);
    const oci = ['oci', '--profile', 'DEFAULT', '--region', 'ap-mumbai-1', 'compute', 'instance', 'action', '--instance-id', instance];
    expect(planned(commands)).toEqual([
      [...oci, '--action', 'STOP', '--wait-for-state', 'STOPPED', '--max-wait-seconds', '600'],
      [...oci, '--action', 'START', '--wait-for-state', 'RUNNING', '--max-wait-seconds', '600'],
    ]);
  });
});
