import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, spawnCli, tempDir, waitFor } from '../helpers';

// The promise a presenter relies on: however the deck ends, no fault stays.
// These spawn the real CLI and send real signals; without the journal the
// SIGKILL case could not be restored, and without the handlers SIGINT would not.

const scenario = join(repoRoot, 'test', 'fixtures', 'scenarios', 'slow-inject.yaml');

function start() {
  const state = tempDir();
  const flag = join(tempDir(), 'flag');
  const env = { XDG_STATE_HOME: state, CHAOSDECK_TEST_FLAG: flag };
  return { cli: spawnCli(['run', scenario, '--auto'], { env }), flag, env };
}

describe('signals during inject', () => {
  it('SIGINT runs every undo and exits 3', async () => {
    const { cli, flag } = start();
    await waitFor(() => existsSync(`${flag}.second`), { message: 'the fault to be injected', timeoutMs: 20_000 });
    cli.child.kill('SIGINT');
    const code = await cli.exited;
    expect(code).toBe(3);
    expect(existsSync(flag)).toBe(false);
    expect(existsSync(`${flag}.second`)).toBe(false);
    expect(cli.stdout()).toMatch(/run interrupted \(exit 3\)/);
  });

  it('SIGTERM does the same', async () => {
    const { cli, flag } = start();
    await waitFor(() => existsSync(`${flag}.second`), { message: 'the fault to be injected', timeoutMs: 20_000 });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(3);
    expect(existsSync(flag)).toBe(false);
  });

  it('after SIGKILL, `chaosdeck restore` undoes the fault from the journal', async () => {
    const { cli, flag, env } = start();
    await waitFor(() => existsSync(`${flag}.second`), { message: 'the fault to be injected', timeoutMs: 20_000 });
    cli.child.kill('SIGKILL');
    await cli.exited;
    expect(existsSync(flag)).toBe(true);

    const listed = spawnCli(['restore', '--list'], { env });
    expect(await listed.exited).toBe(4);
    expect(listed.stdout()).toContain(`rm -f ${flag}.second`);

    const restore = spawnCli(['restore'], { env });
    expect(await restore.exited).toBe(0);
    expect(existsSync(flag)).toBe(false);
    expect(existsSync(`${flag}.second`)).toBe(false);
    expect(restore.stdout()).toMatch(/restored 2 fault/);

    const again = spawnCli(['restore'], { env });
    expect(await again.exited).toBe(0);
    expect(again.stdout()).toContain('nothing to restore');
  });
});
