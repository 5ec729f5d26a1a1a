import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeckEvent, RunMode } from '../../src/engine/events';
import { openSession } from '../../src/cli/session';
import { repoRoot, tempDir, waitFor } from '../helpers';

// The engine end to end with the shell driver: real child processes, a real
// journal on disk, the controller driven the way the deck drives it.

const fixtures = join(repoRoot, 'test', 'fixtures', 'scenarios');

async function open(scenario: string, { isAuto = false, mode = 'live' }: { isAuto?: boolean; mode?: RunMode } = {}) {
  const events: DeckEvent[] = [];
  const state = tempDir();
  const flag = join(tempDir(), 'flag');
  process.env.CHAOSDECK_TEST_FLAG = flag;
  const session = await openSession({
    scenario, cwd: repoRoot, mode, isAuto, pace: 0.01, stateDir: state,
    host: { confirm: async () => true }, sinks: [(e) => events.push(e)], expectTimeoutMs: 2_000,
  });
  return { session, events, state, flag };
}

describe('engine with the shell driver', () => {
  it('runs the demo by itself and passes', async () => {
    const { session, events } = await open('demo/shell-marker', { isAuto: true });
    const outcome = await session.run.controller.done;
    await session.close();
    expect(outcome).toEqual({ status: 'completed', exitCode: 0, pendingFaults: 0 });
    const types = events.map((e) => e.type);
    // The undo is durable before the command that injects the fault starts.
    const registered = types.indexOf('rollback.registered');
    const touch = events.findIndex((e) => e.type === 'command.started' && e.display.startsWith('touch'));
    expect(registered).toBeGreaterThan(-1);
    expect(registered).toBeLessThan(touch);
    expect(events.filter((e) => e.type === 'check' && e.status === 'met').length).toBeGreaterThanOrEqual(4);
    expect(events.find((e) => e.type === 'verdict')).toMatchObject({ outcome: 'PASS' });
    expect(existsSync('/tmp/chaosdeck-demo.flag')).toBe(false);
  });

  it('is paced by the presenter: next enters, runStep runs, back does not re-run', async () => {
    const { session, events, flag, state } = await open(join(fixtures, 'slow-inject.yaml'));
    const { controller } = session.run;
    const commands = () => events.filter((e) => e.type === 'command.started').length;
    controller.next();
    expect(session.run.view().currentStep).toBe(1);
    expect(commands()).toBe(0);
    controller.runStep();
    await waitFor(() => existsSync(`${flag}.second`), { message: 'the fault' });
    expect(session.run.view().pendingFaults).toHaveLength(2);
    // The journal on disk holds both undos while the fault is in place.
    expect(readdirSync(join(state, 'journal'))).toHaveLength(1);
    controller.back();
    expect(session.run.view().currentStep).toBe(0);
    controller.restore();
    await waitFor(() => !existsSync(flag) && !existsSync(`${flag}.second`), { message: 'restore' });
    // Newest first: the second fault is undone before the first.
    const undone = events.filter((e) => e.type === 'rollback.started').map((e) => (e.type === 'rollback.started' ? e.summary : ''));
    expect(undone[0]).toContain('.second');
    const outcome = await session.close();
    expect(outcome.pendingFaults).toBe(0);
    expect(existsSync(join(state, 'journal'))).toBe(true);
    expect(readdirSync(join(state, 'journal'))).toHaveLength(0);
  });

  it('halt undoes everything at once and shows why', async () => {
    const { session, events, flag } = await open(join(fixtures, 'slow-inject.yaml'));
    session.run.controller.next();
    session.run.controller.runStep();
    await waitFor(() => existsSync(`${flag}.second`), { message: 'the fault' });
    session.run.controller.halt();
    await waitFor(() => !existsSync(flag) && !existsSync(`${flag}.second`), { message: 'halt restore' });
    expect(session.run.view().halted?.reason).toBe('halted by the presenter');
    await session.close('aborted');
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'aborted', exitCode: 3, pendingFaults: 0 });
  });

  it('a dry-run shows every command, the undos too, and runs none', async () => {
    const { session, events, flag } = await open(join(fixtures, 'slow-inject.yaml'), { isAuto: true, mode: 'dry-run' });
    const outcome = await session.run.controller.done;
    await session.close();
    expect(outcome.exitCode).toBe(0);
    const shown = events.flatMap((e) => (e.type === 'command.started' ? [[e.display, e.isDryRun]] : []));
    expect(shown).toEqual([
      [`touch ${flag}`, true], [`touch ${flag}.second`, true], [`rm -f ${flag}.second`, true], [`rm -f ${flag}`, true],
    ]);
    expect(existsSync(flag)).toBe(false);
  });

  it('a hypothesis that does not hold fails with exit code 1', async () => {
    const { session } = await open(join(fixtures, 'failing-criteria.yaml'), { isAuto: true });
    const outcome = await session.run.controller.done;
    await session.close();
    expect(outcome).toMatchObject({ status: 'completed', exitCode: 1 });
  });
});
