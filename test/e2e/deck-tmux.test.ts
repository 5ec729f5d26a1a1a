import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLeftoverJournals } from '../../src/engine/journal';
import { cliPath, repoRoot, tempDir, waitFor } from '../helpers';

// The deck end to end: the built CLI in a real terminal (tmux), on the lab it
// starts itself, driven by keys the way a presenter drives it. Everything is
// read back from the screen (capture-pane) or from the state directory.

const run = promisify(execFile);

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const isTmuxInstalled = hasTmux();
if (!isTmuxInstalled) console.warn('deck-tmux: tmux is not on PATH; the end-to-end deck test is skipped');

// A lab scenario made for this test: the inject step stops one api instance
// and partitions backend, so one step shows both effects the deck must make
// visible (an instance down in Status, backendCB OPEN in Breakers). The shipped
// scenarios each show one of them, and they are being edited as packs grow.
const SCENARIO = `id: e2e-failover-partition
title: "E2E: instance down, backend partitioned"
summary: Stop api-2 and cut both api instances off from backend under load.
difficulty: easy
duration: 5m
requirements:
  drivers: [lab]
hypothesis: The shop keeps answering through api-1 with fallback prices while backendCB is open.
targets:
  edge: { description: the load balancer }
  api-2: { description: one api instance }
  backend: { description: "pricing, behind backendRetry and backendCB" }
steps:
  - phase: baseline
    title: Traffic flowing
    notes: "# Baseline"
    run:
      - { verb: load, target: edge, rate: 20, path: /api/products }
  - phase: inject
    title: Stop api-2, partition backend
    notes: "# Inject"
    run:
      - { verb: stop, target: api-2 }
      - { verb: partition, target: backend }
  - phase: observe
    title: One instance down, breaker open
    notes: "# Observe"
  - phase: restore
    title: Put it all back
    notes: "# Restore"
`;

/** Every pid whose command line mentions `text` (the lab's processes carry its state directory). */
function pidsMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // The tmux server keeps the argv of the client that started it, which may be this test's.
      if (commandLine.includes(text) && !commandLine.startsWith('tmux')) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Children of `pid` (the lab supervisor's services), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) out.push(Number(entry));
    } catch {
      // Gone already.
    }
  }
  return out;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!isTmuxInstalled)('the deck in tmux', () => {
  let session = '';
  let stateHome = '';

  beforeAll(() => {
    if (!existsSync(join(repoRoot, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before the e2e tests (npm test does)');
  });

  afterEach(async () => {
    // The test's own tmux server (-L): killing it touches no one else's sessions.
    if (session) {
      const socket = (await run('tmux', ['-L', session, 'display-message', '-p', '#{socket_path}']).catch(() => ({ stdout: '' }))).stdout.trim();
      await run('tmux', ['-L', session, 'kill-server']).catch(() => undefined);
      if (socket) rmSync(socket, { force: true });
    }
    if (stateHome) {
      // Whatever the test left running (a failed assertion mid-run) goes down with the lab command itself.
      const env: NodeJS.ProcessEnv = { ...process.env, XDG_STATE_HOME: stateHome };
      delete env.CI;
      await run(process.execPath, [cliPath, 'lab', 'down'], { env, cwd: repoRoot }).catch(() => undefined);
      rmSync(stateHome, { recursive: true, force: true });
    }
    session = '';
    stateHome = '';
  });

  const tmux = (args: string[]) => run('tmux', ['-L', session, ...args]);
  const capture = async () => (await tmux(['capture-pane', '-p', '-t', session])).stdout;
  const keys = (...list: string[]) => tmux(['send-keys', '-t', session, ...list]);
  // How the deck ended, from the file its wrapper shell writes: tmux cannot always
  // report a pane's exit status (its server, started from the test runner, may
  // never reap the child), so the shell records it.
  let statusFile = '';
  const deckExit = () => (existsSync(statusFile) ? readFileSync(statusFile, 'utf8').trim() : null);
  /** Waits until the screen matches `pattern`; the last screen is in the error when it never does. */
  const screenShows = async (pattern: RegExp, timeoutMs: number) => {
    let last = '';
    try {
      await waitFor(async () => {
        last = await capture();
        if (pattern.test(last)) return true;
        // A deck that exited will never show it: fail now, with its last screen.
        const exit = deckExit();
        if (exit !== null) throw new Error(`the deck exited (${exit}) before showing ${String(pattern)}`);
        return false;
      }, { timeoutMs, intervalMs: 200, message: String(pattern) });
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- last screen ---\n${last}`);
    }
    return last;
  };

  it('walks a lab scenario through its phases, shows the fault, and q restores and stops the lab it started', { timeout: 240_000 }, async () => {
    stateHome = tempDir('chaosdeck-e2e-deck-');
    session = `deck-e2e-${process.pid}-${Date.now().toString(36)}`;
    const scenarioFile = join(stateHome, 'e2e-failover-partition.yaml');
    writeFileSync(scenarioFile, SCENARIO);
    const profile = join(repoRoot, 'scenarios', 'lab', 'profiles', 'lab.yaml');
    const stateDir = join(stateHome, 'chaosdeck');
    const labState = join(stateDir, 'lab', 'state.json');

    statusFile = join(stateHome, 'deck-exit');
    // CI is removed (Ink draws no live frames with CI set); the temp state home means no lab runs there yet.
    const deck = ['env', '-u', 'CI', `XDG_STATE_HOME=${stateHome}`, 'NO_COLOR=1', 'TERM=xterm-256color', process.execPath, cliPath, 'present', scenarioFile, '--env', profile];
    const command = ['sh', '-c', '"$@"; echo "exit $?" > "$STATUS_FILE"', 'sh', ...deck];
    // remain-on-exit keeps the pane (and its last screen) after the deck exits.
    await tmux(['new-session', '-d', '-s', session, '-x', '160', '-y', '48', '-c', repoRoot, '-e', `STATUS_FILE=${statusFile}`, ...command, ';', 'set-option', '-t', session, 'remain-on-exit', 'on']);

    // Opening starts the lab (the deck's progress screen), then the deck's first step with every service ready.
    await screenShows(/BASELINE[\s\S]*step 1\/4[\s\S]*Status\s+8\/8 ready/, 90_000);
    expect(existsSync(labState)).toBe(true);
    const supervisorPid = (JSON.parse(readFileSync(labState, 'utf8')) as { pid: number }).pid;
    const labPids = [supervisorPid, ...childrenOf(supervisorPid)];
    expect(labPids.length).toBeGreaterThan(1);

    // Baseline: enter runs the load; latency samples arrive.
    await keys('Enter');
    await screenShows(/POST \/load[\s\S]*exit 0/, 30_000);
    await screenShows(/p95 \d[\s\S]*\d+ rps/, 30_000);

    // Inject: next step, run it; api-2 goes down and backendCB opens.
    await keys('Space');
    await screenShows(/INJECT[\s\S]*step 2\/4/, 15_000);
    await keys('Enter');
    await screenShows(/POST \/services\/api-2\/stop/, 30_000);
    const down = await screenShows(/Status\s+7\/8 ready[\s\S]*api-2\s+(stopped|exited)\s+NO\b/, 30_000);
    expect(down).toMatch(/api-1\s+running\s+yes/);
    await screenShows(/backendCB\s+OPEN\b/, 60_000);
    expect(readLeftoverJournals(stateDir).flatMap((j) => j.pending).length).toBeGreaterThanOrEqual(3);

    // Observe: the effect holds on the next step.
    await keys('Space');
    await screenShows(/OBSERVE[\s\S]*step 3\/4[\s\S]*api-2\s+(stopped|exited)\s+NO\b/, 15_000);

    // Quit with faults injected: the deck asks first; y restores, stops the lab, and exits
    // 3 (the run was aborted mid-way; 4 would mean a fault could not be undone).
    await keys('q');
    await screenShows(/faults? (is|are) still injected\. Restore everything and quit\?/, 15_000);
    await keys('y');
    await waitFor(() => deckExit() !== null, { timeoutMs: 90_000, intervalMs: 200, message: 'the deck to exit after q, y' });
    expect(deckExit()).toBe('exit 3');

    // Restored: no journal with pending undos; the lab the deck started is gone, every process of it.
    expect(readLeftoverJournals(stateDir)).toEqual([]);
    expect(existsSync(labState)).toBe(false);
    await waitFor(() => labPids.every((pid) => !isAlive(pid)), { timeoutMs: 15_000, message: `lab processes ${labPids.join(', ')} to end` });
    expect(pidsMentioning(stateHome)).toEqual([]);
    // Back on the normal screen, with nothing the deck would print about faults left behind.
    expect(await capture()).not.toMatch(/could not be undone/);
  });
});
