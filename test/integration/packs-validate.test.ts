import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, spawnCli } from '../helpers';

// Every pack validates against its own profile (the lab's `lab`, the real
// environments' `template`) exactly as `chaosdeck validate` checks it before a
// presenter goes on stage: schema, targets bound, verbs supported by the bound
// driver, binding fields, templates resolved.

const root = join(repoRoot, 'scenarios');
const packs: Record<string, { profile: string; atLeast: number }> = {
  lab: { profile: 'lab', atLeast: 15 },
  'oci-bharatmart': { profile: 'template', atLeast: 4 },
  'k8s-resilience': { profile: 'template', atLeast: 2 },
  'docker-ml-observability': { profile: 'template', atLeast: 7 },
  'trading-exchange': { profile: 'template', atLeast: 10 },
  voketag: { profile: 'template', atLeast: 5 },
};

describe('scenario packs', () => {
  it('chaosdeck validate scenarios/ passes', async () => {
    const cli = spawnCli(['validate', 'scenarios/']);
    const code = await cli.exited;
    expect(code, cli.stderr()).toBe(0);
    for (const pack of Object.keys(packs)) expect(cli.stdout()).toMatch(new RegExp(`✓ scenarios/${pack}/`));
  });

  it.each(Object.entries(packs))('%s has its profile, a README and its scenarios', async (pack, { profile, atLeast }) => {
    expect(existsSync(join(root, pack, 'profiles', `${profile}.yaml`))).toBe(true);
    expect(readFileSync(join(root, pack, 'README.md'), 'utf8').length).toBeGreaterThan(400);
    const files = readdirSync(join(root, pack)).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(atLeast);
    const cli = spawnCli(['validate', `scenarios/${pack}`, '--env', profile]);
    expect(await cli.exited, cli.stderr()).toBe(0);
    expect(cli.stdout().split('\n').filter((l) => l.startsWith('✓'))).toHaveLength(files.length);
  });

  it('has every trading-exchange experiment, 01 to 10, with root steps marked', () => {
    const ids = readdirSync(join(root, 'trading-exchange')).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, 2));
    expect(ids).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10']);
    for (const n of ['02', '03', '05', '06', '09']) {
      const file = readdirSync(join(root, 'trading-exchange')).find((f) => f.startsWith(n))!;
      const text = readFileSync(join(root, 'trading-exchange', file), 'utf8');
      expect(text, file).toMatch(/root: true/);
      expect(text, file).toMatch(/needsRoot: true/);
    }
  });

  it('ships the Chaos Toolkit network-partition experiment of training doc 001', () => {
    const experiment = JSON.parse(readFileSync(join(root, 'k8s-resilience', 'ctk', 'network-partition-experiment.json'), 'utf8')) as {
      title: string; 'steady-state-hypothesis': { probes: { name: string }[] }; method: { name: string; pauses?: { after?: number } }[]; rollbacks: { name: string }[];
    };
    expect(experiment.title).toBe('Network Partition: ClientService to BackendService');
    expect(experiment['steady-state-hypothesis'].probes.map((p) => p.name)).toEqual(['backend-service-pod-is-running', 'client-service-pod-is-running']);
    expect(experiment.method).toHaveLength(1);
    expect(experiment.method[0]!.pauses?.after).toBe(30);
    expect(experiment.rollbacks.map((r) => r.name)).toEqual(['restore-network-to-backend-service']);
  });
});
