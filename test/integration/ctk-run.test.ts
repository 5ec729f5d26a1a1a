import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CtkJournalFileSchema } from '../../src/scenario/ctk/journal';
import { spawnCli, tempDir, waitFor } from '../helpers';

// Chaos Toolkit experiments run as they are through the built CLI
// (`chaosdeck run --auto`), against real local processes and a real HTTP
// server on loopback: the hypothesis gates the method, the deviation check
// follows it, rollbacks obey the strategy, and statuses are Chaos Toolkit's.

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

let server: Server;
let base = '';
let isHealthy = true;
let seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      seen.push({ method: req.method ?? '', path: url.pathname + url.search, contentType: req.headers['content-type'] ?? '', body });
      if (url.pathname === '/break') isHealthy = false;
      if (url.pathname === '/heal') isHealthy = true;
      const status = url.pathname === '/health' && !isHealthy ? 503 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ healthy: isHealthy, path: url.pathname }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  isHealthy = true;
  seen = [];
});

const dir = tempDir('chaosdeck-ctk-');

function write(name: string, experiment: Record<string, unknown>): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  return file;
}

/** The web shop experiment: the service answers; break it (or not); heal it in the rollbacks. */
function shopExperiment(name: string, { isBreaking }: { isBreaking: boolean }): string {
  return write(name, {
    title: `shop ${name}`,
    description: 'the shop answers while we poke it',
    configuration: { base_url: { type: 'env', key: 'SHOP_URL' }, marker_dir: dir },
    'steady-state-hypothesis': {
      title: 'the shop answers',
      probes: [
        { type: 'probe', name: 'health', tolerance: 200, provider: { type: 'http', url: '${base_url}/health', timeout: [2, 5] } },
        { type: 'probe', name: 'dir-exists', tolerance: 0, provider: { type: 'process', path: 'test', arguments: ['-d', '${marker_dir}'] } },
        { type: 'probe', name: 'body-says-healthy', tolerance: { type: 'jsonpath', path: '$.healthy', expect: true, target: 'body' }, provider: { type: 'http', url: '${base_url}/health' } },
      ],
    },
    method: [
      {
        type: 'action', name: isBreaking ? 'break-it' : 'poke-it',
        provider: { type: 'http', url: `\${base_url}/${isBreaking ? 'break' : 'poke'}`, method: 'POST', headers: { 'Content-Type': 'application/json' }, arguments: { level: 3 } },
        pauses: { after: 0.05 },
      },
      { type: 'probe', name: 'count-through-a-shell', provider: { type: 'process', path: 'echo', arguments: 'one two | wc -w' } },
      { type: 'probe', name: 'query', provider: { type: 'http', url: '${base_url}/q', arguments: { who: 'room' } } },
    ],
    rollbacks: [{ type: 'action', name: 'heal', provider: { type: 'http', url: '${base_url}/heal', method: 'POST', arguments: { reason: 'rollback' } } }],
  });
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string; events: Record<string, unknown>[] }> {
  const cli = spawnCli(args, { env: { SHOP_URL: base, XDG_STATE_HOME: tempDir() } });
  const code = await cli.exited;
  const events = cli.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, out: cli.stdout(), err: cli.stderr(), events };
}

const finished = (events: Record<string, unknown>[]) => events.find((e) => e.type === 'run.finished');
const verdict = (events: Record<string, unknown>[]) => events.find((e) => e.type === 'verdict');
const paths = () => seen.map((s) => s.path.replace(/\?.*$/, ''));

describe.skipIf(!existsSync(join(import.meta.dirname, '..', '..', 'dist', 'cli.js')))('running Chaos Toolkit experiments', () => {
  it('completes when the hypothesis holds before and after, running process and http providers as written', async () => {
    const journal = join(dir, 'journal-ok.json');
    const { code, events, err } = await run(['run', shopExperiment('ok.json', { isBreaking: false }), '--auto', '--json', '--journal', journal]);
    expect(err).not.toMatch(/internal error/);
    expect(code).toBe(0);
    expect(finished(events)).toMatchObject({ status: 'completed', exitCode: 0 });
    expect(verdict(events)).toMatchObject({ outcome: 'PASS', isDeviated: false });
    // Steady state before, the method, steady state after, then the rollback.
    expect(paths()).toEqual(['/health', '/health', '/poke', '/q', '/health', '/health', '/heal']);
    expect(seen.find((s) => s.path === '/poke')).toMatchObject({ method: 'POST', contentType: 'application/json', body: '{"level":3}' });
    expect(seen.find((s) => s.path.startsWith('/q'))).toMatchObject({ method: 'GET', path: '/q?who=room' });
    expect(seen.find((s) => s.path === '/heal')).toMatchObject({ contentType: 'application/x-www-form-urlencoded', body: 'reason=rollback' });
    // A string of arguments runs through a shell, and is shown as such.
    const shell = events.find((e) => e.type === 'command.started' && e.isShell === true);
    expect(shell).toMatchObject({ display: expect.stringMatching(/^sh -c .*echo one two \| wc -w/) });
    const output = events.filter((e) => e.type === 'command.output').flatMap((e) => e.lines as string[]);
    expect(output.map((l) => l.trim())).toContain('2');
    const checks = events.filter((e) => e.type === 'check' && e.kind === 'steady-state' && e.status !== 'pending');
    expect(checks.map((c) => `${String(c.label)}:${String(c.status)}`).sort()).toEqual([
      'body-says-healthy (after):met', 'body-says-healthy (before):met',
      'dir-exists (after):met', 'dir-exists (before):met',
      'health (after):met', 'health (before):met',
    ]);
    const parsed = CtkJournalFileSchema.parse(JSON.parse(readFileSync(journal, 'utf8')));
    expect(parsed).toMatchObject({ status: 'completed', deviated: false });
    // The journal embeds the experiment as written and names activities as it does.
    expect(parsed.experiment).toMatchObject({ title: 'shop ok.json', configuration: { base_url: { type: 'env', key: 'SHOP_URL' } } });
    expect(parsed.run.map((r) => [r.activity.type, r.activity.name, r.status])).toEqual([
      ['action', 'poke-it', 'succeeded'], ['probe', 'count-through-a-shell', 'succeeded'], ['probe', 'query', 'succeeded'],
    ]);
    expect(parsed.rollbacks.map((r) => [r.activity.name, r.activity.provider?.type, r.status])).toEqual([['heal', 'http', 'succeeded']]);
    expect(parsed.steady_states?.before?.probes.map((p) => [p.activity.name, p.tolerance_met]).sort()).toEqual([['body-says-healthy', true], ['dir-exists', true], ['health', true]]);
  });

  it('deviates when the method breaks the hypothesis; the default strategy still rolls back', async () => {
    const { code, events } = await run(['run', shopExperiment('deviate.json', { isBreaking: true }), '--auto', '--json']);
    expect(code).toBe(1);
    expect(finished(events)).toMatchObject({ status: 'completed' });
    expect(verdict(events)).toMatchObject({ outcome: 'FAIL', isDeviated: true });
    // The deviation check runs before the rollbacks, as in Chaos Toolkit.
    expect(paths().slice(-3)).toEqual(['/health', '/health', '/heal']);
    expect(isHealthy).toBe(true);
  });

  it.each<[string, boolean]>([['deviated', true], ['always', true], ['never', false]])('--rollback-strategy %s after a deviation plays rollbacks: %s', async (strategy, isPlayed) => {
    const { code, events } = await run(['run', shopExperiment(`deviate-${strategy}.json`, { isBreaking: true }), '--auto', '--json', '--rollback-strategy', strategy]);
    expect(code).toBe(1);
    expect(verdict(events)).toMatchObject({ isDeviated: true });
    expect(paths().includes('/heal')).toBe(isPlayed);
  });

  it('--rollback-strategy deviated skips the rollbacks when nothing deviated', async () => {
    const { code } = await run(['run', shopExperiment('ok-deviated.json', { isBreaking: false }), '--auto', '--json', '--rollback-strategy', 'deviated']);
    expect(code).toBe(0);
    expect(paths()).not.toContain('/heal');
  });

  it('--hypothesis-strategy before-method-only does not check for deviation', async () => {
    const { code, events } = await run(['run', shopExperiment('before-only.json', { isBreaking: true }), '--auto', '--json', '--hypothesis-strategy', 'before-method-only']);
    expect(code).toBe(0);
    expect(verdict(events)).toMatchObject({ outcome: 'PASS', isDeviated: false });
    expect(events.filter((e) => e.type === 'check' && String(e.label).endsWith('(after)'))).toEqual([]);
  });

  it('--hypothesis-strategy during-method checks while the method runs, not before or after', async () => {
    const { code, events } = await run(['run', shopExperiment('during.json', { isBreaking: false }), '--auto', '--json', '--hypothesis-strategy', 'during-method']);
    expect(code).toBe(0);
    const labels = events.filter((e) => e.type === 'check' && e.kind === 'steady-state').map((e) => String(e.label));
    expect(labels.some((l) => l.endsWith('(during)'))).toBe(true);
    expect(labels.some((l) => l.endsWith('(before)') || l.endsWith('(after)'))).toBe(false);
  });

  it('does not run the method when the hypothesis does not hold first (status completed, tolerance missed)', async () => {
    isHealthy = false;
    const { code, events } = await run(['run', shopExperiment('gate.json', { isBreaking: true }), '--auto', '--json']);
    expect(code).toBe(1);
    expect(finished(events)).toMatchObject({ status: 'completed' });
    expect(verdict(events)).toMatchObject({ outcome: 'FAIL' });
    expect(paths()).not.toContain('/break');
    // chaoslib plays rollbacks by default unless the run failed.
    expect(paths()).toContain('/heal');
  });

  it('is failed, with no rollbacks by default, when a hypothesis probe cannot run at all', async () => {
    const file = write('unreachable.json', {
      title: 'unreachable', description: 'd', method: [],
      'steady-state-hypothesis': { title: 'h', probes: [{ type: 'probe', name: 'nothing-there', tolerance: 200, provider: { type: 'http', url: 'http://127.0.0.1:9/x', timeout: 1 } }] },
      rollbacks: [{ type: 'action', name: 'heal', provider: { type: 'http', url: '${base_url}/heal', method: 'POST' } }],
      configuration: { base_url: { type: 'env', key: 'SHOP_URL' } },
    });
    const { code, events } = await run(['run', file, '--auto', '--json']);
    expect(code).toBe(1);
    expect(finished(events)).toMatchObject({ status: 'failed' });
    expect(paths()).not.toContain('/heal');
  });

  // The deliberate difference from Chaos Toolkit: an interrupted run still plays its rollbacks, unless told never to.
  it.each<[string, boolean, string[]]>([['default', true, []], ['never', false, ['--rollback-strategy', 'never']]])('an interrupt with the %s strategy plays rollbacks: %s', async (_, isPlayed, extra) => {
    const file = write(`interrupt-${extra.length}.json`, {
      title: 'interrupt', description: 'd',
      method: [
        { type: 'action', name: 'break-it', provider: { type: 'http', url: '${base_url}/break', method: 'POST' } },
        { type: 'action', name: 'hold', provider: { type: 'process', path: 'sleep', arguments: ['30'] } },
      ],
      rollbacks: [{ type: 'action', name: 'heal', provider: { type: 'http', url: '${base_url}/heal', method: 'POST' } }],
      configuration: { base_url: { type: 'env', key: 'SHOP_URL' } },
    });
    const cli = spawnCli(['run', file, '--auto', '--json', ...extra], { env: { SHOP_URL: base, XDG_STATE_HOME: tempDir() } });
    await waitFor(() => cli.stdout().includes('"display":"sleep 30"'), { message: 'the sleep to start' });
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(3);
    const events = cli.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(finished(events)).toMatchObject({ status: 'interrupted' });
    expect(paths().includes('/heal')).toBe(isPlayed);
    expect(isHealthy).toBe(isPlayed);
  });

  describe('python providers', () => {
    const file = () => write('python.json', {
      title: 'python', description: 'd',
      method: [
        { type: 'action', name: 'kill-pods', provider: { type: 'python', module: 'chaosk8s.pod.actions', func: 'terminate_pods' } },
        { type: 'probe', name: 'still-there', provider: { type: 'http', url: '${base_url}/health' } },
      ],
      configuration: { base_url: { type: 'env', key: 'SHOP_URL' } },
    });

    it('make --auto refuse to start, naming them', async () => {
      const { code, err } = await run(['run', file(), '--auto']);
      expect(code).toBe(2);
      expect(err).toMatch(/not runnable: python provider chaosk8s\.pod\.actions\.terminate_pods[\s\S]*--skip-unsupported/);
      expect(seen).toEqual([]);
    });

    it('are reported unsupported with --skip-unsupported, and the rest runs', async () => {
      const { code, events } = await run(['run', file(), '--auto', '--json', '--skip-unsupported']);
      expect(code).toBe(0);
      expect(events.find((e) => e.type === 'action.finished' && e.status === 'unsupported')).toMatchObject({ error: 'not runnable: python provider chaosk8s.pod.actions.terminate_pods' });
      expect(paths()).toEqual(['/health']);
    });
  });

  describe('validate', () => {
    it('exits 0 for an experiment that loads', async () => {
      const { code, out } = await run(['validate', shopExperiment('valid.json', { isBreaking: false })]);
      expect(code).toBe(0);
      expect(out).toMatch(/✓ .*valid\.json/);
    });

    it('exits 2 with file:line:column for one that does not', async () => {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{\n  "title": "t",\n  "description": "d",\n  "method": [\n    {"type": "action", "name": "a", "provider": {"type": "process"}}\n  ]\n}\n');
      const { code, err } = await run(['validate', file]);
      expect(code).toBe(2);
      expect(err).toMatch(/broken\.json:5:49: error: a process activity must have a path/);
      expect(err).not.toMatch(/\n\s+at /);
    });

    it('exits 2 for an experiment that reads an unset variable', async () => {
      const file = write('needs-env.json', { title: 't', description: 'd', method: [], configuration: { u: { type: 'env', key: 'CHAOSDECK_TEST_UNSET' } } });
      const { code, err } = await run(['validate', file]);
      expect(code).toBe(2);
      expect(err).toMatch(/needs-env\.json:\d+:\d+: error: configuration 'u' reads the environment variable CHAOSDECK_TEST_UNSET/);
    });
  });
});
