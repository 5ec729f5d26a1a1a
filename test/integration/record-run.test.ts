import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extraRunSinks } from '../../src/cli/run-hooks';
import { openSession } from '../../src/cli/session';
import type { DeckEvent } from '../../src/engine/events';
import { reduce } from '../../src/engine/reducer';
import { createViewStore } from '../../src/engine/store';
import { initialViewState } from '../../src/engine/view-state';
import '../../src/record/record-hook';
import { readRecording } from '../../src/record/reader';
import { createReplayController } from '../../src/record/replay-controller';
import { ReplayTimeline } from '../../src/record/timeline';
import { CtkJournalSchema } from '../../src/report/ctk-journal';
import { summarizeRun } from '../../src/report/summary';
import { spawnCli, tempDir, waitFor } from '../helpers';

// Real runs of the real engine and CLI: what is recorded replays to the same
// view state the live run ended with; seeded secrets never reach the file; a
// kill -9 keeps every event written before it; `run --report` writes a report
// whose figures are the recording's.

const TOKEN = 'sk-live-7Hq2Zp9RvX4mB1';
const PASSWORD = 'correct-horse-battery-9931';

/** A pack in a temp dir: a scenario whose commands print the seeded secrets, and its profile naming them secret. */
function secretPack(): { scenario: string; flag: string } {
  const pack = join(tempDir(), 'secrets');
  mkdirSync(join(pack, 'profiles'), { recursive: true });
  const flag = join(tempDir(), 'flag');
  writeFileSync(join(pack, 'secret-run.yaml'), `
id: secret-run
title: Secrets stay out of recordings
hypothesis: A token a step uses never reaches the recording.
targets: { api: {} }
steps:
  - phase: baseline
    title: call with a token
    run:
      - verb: exec
        target: api
        argv: [sh, -c, 'echo "token is $1"; echo "using $1 and $2" >&2; echo "{\\"$1\\": 1}"', sh, "{{ env.CHAOSDECK_TEST_TOKEN }}", "{{ env.CHAOSDECK_TEST_PASSWORD }}"]
  - phase: inject
    title: a fault described with the token
    run:
      - verb: exec
        target: api
        description: "raise the flag for {{ env.CHAOSDECK_TEST_TOKEN }}"
        argv: [touch, "{{ flagPath }}"]
        undo: [rm, -f, "{{ flagPath }}"]
  - phase: restore
    title: take it down
`);
  writeFileSync(join(pack, 'profiles', 'local.yaml'), `
name: local
isReal: false
targets: { api: { driver: shell } }
secrets: [CHAOSDECK_TEST_TOKEN, CHAOSDECK_TEST_PASSWORD]
vars: { flagPath: ${JSON.stringify(flag)} }
`);
  return { scenario: join(pack, 'secret-run.yaml'), flag };
}

describe('record then replay', () => {
  // The engine renders `{{ env.* }}` from this process's environment.
  beforeAll(() => Object.assign(process.env, { CHAOSDECK_TEST_TOKEN: TOKEN, CHAOSDECK_TEST_PASSWORD: PASSWORD }));
  afterAll(() => {
    delete process.env.CHAOSDECK_TEST_TOKEN;
    delete process.env.CHAOSDECK_TEST_PASSWORD;
  });

  it('replays to the same final view state as the live run, folded or played on the clock', async () => {
    const dir = tempDir();
    const io = { stdout: process.stdout, stderr: { write: () => true } as never, stdin: process.stdin, env: { ...process.env }, cwd: dir };
    const { scenario } = secretPack();
    const extras = await extraRunSinks({ io, values: { record: 'recordings/' }, scenarioRef: scenario });
    let live = initialViewState;
    const seen: DeckEvent[] = [];
    const session = await openSession({
      scenario, cwd: dir, mode: 'live', isAuto: true, stateDir: tempDir(), processEnv: io.env,
      host: { confirm: async () => true },
      sinks: [(event) => { live = reduce(live, event); seen.push(event); }, ...extras.sinks],
    });
    await session.run.controller.done;
    const outcome = await session.close();
    await extras.close(outcome);
    expect(outcome.exitCode).toBe(0);

    const files = readdirSync(join(dir, 'recordings'));
    expect(files).toHaveLength(1);
    const recording = await readRecording(join(dir, 'recordings', files[0]!));
    expect(recording.problem).toBeNull();
    expect(recording.events).toHaveLength(seen.length);

    const timeline = new ReplayTimeline();
    timeline.append(recording.events);
    expect(timeline.finalState).toEqual(live);

    let now = 0;
    let tick: (() => void) | null = null;
    const store = createViewStore();
    const replay = createReplayController({
      timeline, store, speed: 16,
      clock: { now: () => now, every: (_ms, fn) => { tick = fn; return () => { tick = null; }; } },
    });
    replay.play();
    while (tick) {
      now += 50;
      (tick as () => void)();
    }
    store.flush();
    expect(replay.getStatus().isAtEnd).toBe(true);
    expect(store.getSnapshot()).toEqual(live);
  });
});

describe('secrets', () => {
  it('a recorded run with seeded secrets contains none of them', async () => {
    const { scenario } = secretPack();
    const cwd = tempDir();
    // The default place: recordings/ under the working directory.
    const env = { XDG_STATE_HOME: tempDir(), CHAOSDECK_TEST_TOKEN: TOKEN, CHAOSDECK_TEST_PASSWORD: PASSWORD, CHAOSDECK_RECORDINGS: '' };
    const cli = spawnCli(['run', scenario, '--auto', '--json'], { env, cwd });
    expect(await cli.exited).toBe(0);
    // The run really used them: the command ran with the token (its output says so, masked).
    const [file] = readdirSync(join(cwd, 'recordings'));
    const text = readFileSync(join(cwd, 'recordings', file!), 'utf8');
    expect(text).toContain('token is ••••••');
    expect(text).toContain('raise the flag for ••••••');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PASSWORD);
    expect(cli.stdout()).not.toContain(TOKEN);
  });
});

describe('the record options and headless replay', () => {
  it('--no-record leaves no recording; replay without a terminal prints the timeline', async () => {
    const { scenario } = secretPack();
    const cwd = tempDir();
    const env = { XDG_STATE_HOME: tempDir(), CHAOSDECK_TEST_TOKEN: TOKEN, CHAOSDECK_TEST_PASSWORD: PASSWORD };
    expect(await spawnCli(['run', scenario, '--auto', '--no-record'], { env, cwd }).exited).toBe(0);
    expect(existsSync(join(cwd, 'recordings'))).toBe(false);

    expect(await spawnCli(['run', scenario, '--auto', '--record', 'one.jsonl'], { env, cwd }).exited).toBe(0);
    const replay = spawnCli(['replay', 'one.jsonl'], { cwd });
    expect(await replay.exited).toBe(0);
    expect(replay.stdout()).toMatch(/INJECT\s+2\/3 a fault described with the token/);
    expect(replay.stdout()).toContain('run completed (exit 0)');

    const text = readFileSync(join(cwd, 'one.jsonl'), 'utf8');
    writeFileSync(join(cwd, 'cut.jsonl'), text.slice(0, text.length - 40));
    const cut = spawnCli(['replay', 'cut.jsonl', '--headless'], { cwd });
    expect(await cut.exited).toBe(1);
    expect(cut.stderr()).toMatch(new RegExp(`cut\\.jsonl:${text.trimEnd().split('\n').length}: truncated`));
  });
});

describe('crash safety', () => {
  it('after kill -9, the recording holds every event up to the kill and reads cleanly', async () => {
    const cwd = tempDir();
    const flag = join(tempDir(), 'flag');
    const fixture = join(import.meta.dirname, '..', 'fixtures', 'scenarios', 'slow-inject.yaml');
    const env = { XDG_STATE_HOME: tempDir(), CHAOSDECK_TEST_FLAG: flag };
    const cli = spawnCli(['run', fixture, '--auto', '--record', 'out/killed.jsonl'], { env, cwd });
    const file = join(cwd, 'out', 'killed.jsonl');
    await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('rollback.registered')).length === 2, { message: 'both faults recorded', timeoutMs: 20_000 });
    cli.child.kill('SIGKILL');
    await cli.exited;
    const recording = await readRecording(file);
    expect(recording.problem).toBeNull();
    expect(recording.events.map((e) => e.type)).toEqual(expect.arrayContaining(['run.started', 'step.entered', 'rollback.registered']));
    expect(recording.events.some((e) => e.type === 'run.finished')).toBe(false);
    expect(summarizeRun(recording.events)).toMatchObject({ status: 'interrupted', isFinished: false });
    expect(summarizeRun(recording.events).faultsLeft).toHaveLength(2);
    expect(await spawnCli(['restore'], { env, cwd }).exited).toBe(0);
    expect(existsSync(flag)).toBe(false);
  });
});

describe('run --report and chaosdeck report', () => {
  it('writes report.md and journal.json whose figures are the recording\'s', async () => {
    const { scenario } = secretPack();
    const cwd = tempDir();
    const env = { XDG_STATE_HOME: tempDir(), CHAOSDECK_TEST_TOKEN: TOKEN, CHAOSDECK_TEST_PASSWORD: PASSWORD };
    const run = spawnCli(['run', scenario, '--auto', '--record', 'run.jsonl', '--report', 'live-report'], { env, cwd });
    expect(await run.exited).toBe(0);
    const recording = await readRecording(join(cwd, 'run.jsonl'));
    const commands = recording.events.filter((e): e is Extract<DeckEvent, { type: 'command.finished' }> => e.type === 'command.finished');
    const live = readFileSync(join(cwd, 'live-report', 'report.md'), 'utf8');
    expect(live).toContain('**Verdict: PASS** · status completed · exit code 0');
    expect(live.match(/→ exit 0, /g)).toHaveLength(commands.filter((c) => c.exitCode === 0).length);
    expect(live).not.toContain(TOKEN);

    const again = spawnCli(['report', 'run.jsonl', '--out', 'from-recording'], { cwd });
    expect(await again.exited).toBe(0);
    const journal = CtkJournalSchema.parse(JSON.parse(readFileSync(join(cwd, 'from-recording', 'journal.json'), 'utf8')));
    expect(journal).toMatchObject({ status: 'completed', deviated: false });
    expect(journal.run).toHaveLength(2);
    expect(journal.run[1]).toMatchObject({ activity: { name: 'raise the flag for ••••••', provider: { type: 'process', path: 'touch' } }, status: 'succeeded' });
    expect(journal.rollbacks.map((r) => r.status)).toEqual(['succeeded']);
    // The same events give the same report, live or from the recording (only the file's own path differs).
    const fromRecording = readFileSync(join(cwd, 'from-recording', 'report.md'), 'utf8');
    expect(fromRecording).toBe(live);
  });
});
