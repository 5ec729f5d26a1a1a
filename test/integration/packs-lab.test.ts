import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findLab, isProcessAlive, startLab, stopLab } from '../../src/lab/client';
import { repoRoot, spawnCli, tempDir } from '../helpers';

// Every lab scenario, run headless and automatic on the real lab (its real
// services, fault proxy and load generator), reaches the verdict it is
// designed for: PASS, or FAIL when it carries the `designed-to-fail` tag.
// One lab serves the whole pack (started here, stopped after), as a presenter
// would run them one after another; --pace 0.2 shortens every wait.

const labDir = join(repoRoot, 'scenarios', 'lab');
const scenarios = readdirSync(labDir).filter((f) => f.endsWith('.yaml')).sort().map((file) => {
  const head = parse(readFileSync(join(labDir, file), 'utf8')) as { id: string; tags?: string[] };
  return { id: head.id, expected: head.tags?.includes('designed-to-fail') ? 'FAIL' : 'PASS' };
});

describe('the lab pack on the real lab', () => {
  const state = tempDir('chaosdeck-packs-lab-');
  const env = { XDG_STATE_HOME: state };
  let supervisorPid = 0;

  beforeAll(async () => {
    const lab = await startLab({ env: { ...process.env, ...env }, timeoutMs: 60_000 });
    supervisorPid = (await lab.status()).pid;
  }, 90_000);

  afterAll(async () => {
    await stopLab({ env: { ...process.env, ...env } });
    expect(await findLab({ env: { ...process.env, ...env } })).toBeNull();
    if (supervisorPid) expect(isProcessAlive(supervisorPid)).toBe(false);
  }, 30_000);

  it('ships at least the fifteen analogs of the issue', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(15);
  });

  it.each(scenarios)('lab/$id reaches $expected', async ({ id, expected }) => {
    const cwd = tempDir('chaosdeck-packs-cwd-');
    const cli = spawnCli(['run', `lab/${id}`, '--auto', '--pace', '0.2', '--json', '--no-record'], { env, cwd });
    const code = await cli.exited;
    const events = cli.stdout().trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; [k: string]: unknown });
    const verdict = events.find((e) => e.type === 'verdict') as { outcome: string; criteria: { name: string; observed: string; isOk: boolean }[] } | undefined;
    const finished = events.find((e) => e.type === 'run.finished') as { status: string; pendingFaults: number } | undefined;
    const missed = events.filter((e) => e.type === 'check' && e.status === 'missed').map((e) => `${String(e.label)}: ${String(e.observed)}`);
    const detail = `${id}: ${JSON.stringify(verdict?.criteria)} missed=${JSON.stringify(missed)} stderr=${cli.stderr().slice(-500)}`;
    expect(verdict?.outcome, detail).toBe(expected);
    expect(finished?.status, detail).toBe('completed');
    expect(finished?.pendingFaults, 'every fault restored').toBe(0);
    expect(code).toBe(expected === 'PASS' ? 0 : 1);
  }, 150_000);

  it('recorded every learning-path verdict: chaosdeck learn shows the path complete', async () => {
    const cli = spawnCli(['learn', '--json'], { env });
    expect(await cli.exited, cli.stderr()).toBe(0);
    const status = JSON.parse(cli.stdout()) as { position: { done: number; total: number; next?: unknown }; weeks: { scenarios: { state: string; lastVerdict: string }[] }[] };
    expect(status.position).toMatchObject({ done: 10, total: 10 });
    expect(status.position.next).toBeUndefined();
    expect(status.weeks.flatMap((w) => w.scenarios.map((s) => s.lastVerdict))).toEqual(Array(10).fill('PASS'));
  });
});
