import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command';
import { labCommand } from '../../src/cli/commands/lab';
import { isProcessAlive } from '../../src/lab/client';
import { SUPERVISOR_SCRIPT, waitFor } from './lab-helpers';

// `chaosdeck lab up | down | status | logs` with real processes: up prints
// every URL and is idempotent, status --json tells state, health, pid,
// restarts and toxics, and down leaves nothing behind even after the deck
// that ran `up` was killed with SIGKILL.

const home = mkdtempSync(join(tmpdir(), 'chaosdeck-lab-cli-'));
const env = { ...process.env, XDG_STATE_HOME: home, CHAOSDECK_LAB_SUPERVISOR: SUPERVISOR_SCRIPT, NO_COLOR: '1' };

async function lab(...positionals: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env, cwd: process.cwd() };
  const flags = positionals.filter((p) => p.startsWith('--'));
  const code = await labCommand.run({ values: Object.fromEntries(flags.map((f) => [f.slice(2), true])), positionals: positionals.filter((p) => !p.startsWith('--')) }, io);
  return { code, stdout: out, stderr: err };
}

afterAll(async () => {
  await lab('down');
  rmSync(home, { recursive: true, force: true });
});

describe('chaosdeck lab', () => {
  it('up (from a deck killed with SIGKILL), up again, status, logs, down: nothing left behind', async () => {
    // A "deck" process runs `lab up` and is then killed -9; the lab must survive it and `down` must still stop it.
    const deck = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { labCommand } = await import(${JSON.stringify(resolve(import.meta.dirname, '../../src/cli/commands/lab.ts'))});
      await labCommand.run({ values: {}, positionals: ['up'] }, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
      setInterval(() => {}, 1000);
    `], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let printed = '';
    deck.stdout.on('data', (c) => (printed += String(c)));
    deck.stderr.on('data', (c) => (printed += String(c)));
    await waitFor(() => /edge\s+http:\/\/127\.0\.0\.1:\d+/.test(printed), { timeoutMs: 45_000, message: `lab up to print the URLs (${printed})` });
    deck.kill('SIGKILL');
    for (const service of ['proxy', 'db', 'cache', 'backend', 'collector', 'api-1', 'api-2', 'edge']) expect(printed).toMatch(new RegExp(`${service}\\s+http://127\\.0\\.0\\.1:\\d+`));

    const again = await lab('up');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/lab already running \(pid \d+\)/);

    const status = await lab('status', '--json');
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { pid: number; services: { name: string; state: string; health: string; pid: number; restarts: number }[]; toxics: unknown[] };
    expect(parsed.services).toHaveLength(8);
    for (const service of parsed.services) expect(service).toMatchObject({ state: 'running', health: 'healthy', restarts: 0, pid: expect.any(Number) });
    expect(parsed.toxics).toEqual([]);

    const text = await lab('status');
    expect(text.stdout).toMatch(/api-2\s+running\s+healthy/);
    const logs = await lab('logs', 'edge');
    expect(logs.stdout).toMatch(/edge listening on http:\/\/127\.0\.0\.1:\d+/);

    const pids = [parsed.pid, ...parsed.services.map((s) => s.pid)];
    const down = await lab('down');
    expect(down.stdout).toBe('lab stopped\n');
    await waitFor(() => pids.every((pid) => !isProcessAlive(pid)), { timeoutMs: 10_000, message: 'every lab process gone' });
    expect((await lab('status')).code).toBe(1);
    expect((await lab('down')).stdout).toBe('lab was not running\n');
  });

  it('rejects an unknown subcommand with usage', async () => {
    const result = await lab('sideways');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: chaosdeck lab up \| down/);
  });
});
