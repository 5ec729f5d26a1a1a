import { describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers';

// `chaosdeck doctor experiment.json` tells a trainer, before the talk, what a
// Chaos Toolkit experiment needs that this machine lacks.

describe('doctor on Chaos Toolkit experiments', () => {
  it('lists the extensions, python providers and variables the k8s partition experiment needs', async () => {
    const cli = spawnCli(['doctor', 'test/fixtures/ctk/network-partition-experiment.json'], { env: { NAMESPACE: 'demo' } });
    expect(await cli.exited).toBe(0);
    const out = cli.stdout();
    expect(out).toContain('test/fixtures/ctk/network-partition-experiment.json (Chaos Toolkit experiment)');
    expect(out).toMatch(/extensions it names[^\n]*\n\s+– chaosk8s/);
    expect(out).toMatch(/set NAMESPACE/);
    expect(out).toMatch(/unset PARTITION_SECONDS/);
    expect(out).toMatch(/python providers will be skipped/);
  });

  it('names a missing program and exits 1', async () => {
    const cli = spawnCli(['doctor', 'test/fixtures/ctk/missing-binary.json']);
    expect(await cli.exited).toBe(1);
    expect(cli.stdout()).toMatch(/✗ chaosdeck-no-such-tool/);
    expect(cli.stdout()).toMatch(/install chaosdeck-no-such-tool/);
  });

  it('refuses a file that is not an experiment', async () => {
    const cli = spawnCli(['doctor', 'scenarios/demo/shell-marker.yaml']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/not a Chaos Toolkit experiment/);
  });
});
