import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App';
import { createConfirmBridge } from '../../src/ui/confirm-bridge';
import { injectedRun, KEYS, mount, recordingController, stamp, storeWith, waitFor, type Mounted } from './ui-harness';
import type { RunOutcome } from '../../src/engine/controller';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

function deck(options: { events?: ReturnType<typeof injectedRun>; isReadOnly?: boolean } = {}) {
  const store = storeWith(options.events ?? injectedRun());
  const controller = recordingController({ status: 'aborted', exitCode: 3, pendingFaults: 0 });
  const confirm = createConfirmBridge();
  const exits: (RunOutcome | null)[] = [];
  const mode = options.isReadOnly ? { badge: 'REPLAY' as const, role: 'replay' as const, isReadOnly: true, clock: 'events' as const } : undefined;
  mounted = mount(<App run={{ store, controller, isAudience: false, mode }} confirm={confirm} onExit={(o) => exits.push(o)} />, { columns: 120, rows: 40 });
  return { store, controller, confirm, exits, mounted };
}

describe('keys drive the run through the controller', () => {
  it.each([
    [' ', 'next'],
    ['n', 'next'],
    [KEYS.right, 'next'],
    [KEYS.left, 'back'],
    ['p', 'back'],
    [KEYS.enter, 'runStep'],
    ['r', 'restore'],
    ['!', 'halt:halt all pressed by the presenter'],
  ])('%j → %s', async (key, call) => {
    const { controller, mounted } = deck();
    mounted.input.press(key);
    await waitFor(() => controller.calls.length > 0, { what: call });
    expect(controller.calls).toEqual([call]);
  });

  it('offers no dangerous command in a read-only (replay) deck, and shows its badge', async () => {
    const { controller, mounted } = deck({ isReadOnly: true });
    expect(mounted.lastFrame()).toContain('REPLAY');
    expect(mounted.lastFrame()).not.toContain('run step');
    mounted.input.press('!');
    mounted.input.press(KEYS.enter);
    mounted.input.press(' ');
    await waitFor(() => controller.calls.length > 0);
    expect(controller.calls).toEqual(['next']);
  });
});

describe('quitting restores first', () => {
  it('asks when faults are pending; n stays, y finishes the run and exits', async () => {
    const { controller, exits, mounted } = deck();
    mounted.input.press('q');
    await waitFor(() => mounted.lastFrame().includes('still injected'), { what: 'quit dialog' });
    expect(mounted.lastFrame()).toContain('1 fault is still injected');
    mounted.input.press('n');
    await waitFor(() => mounted.lastFrame().includes('Notes'), { what: 'dialog closed' });
    expect(controller.calls).toEqual([]);
    mounted.input.press('q');
    await waitFor(() => mounted.lastFrame().includes('still injected'));
    mounted.input.press('y');
    await waitFor(() => exits.length === 1, { what: 'exit' });
    expect(controller.calls).toEqual(['finish:aborted']);
    expect(exits[0]).toEqual({ status: 'aborted', exitCode: 3, pendingFaults: 0 });
  });

  it('quits without asking when nothing is injected', async () => {
    const events = injectedRun().filter((e) => e.type !== 'rollback.registered');
    const { controller, exits, mounted } = deck({ events });
    mounted.input.press('q');
    await waitFor(() => exits.length === 1);
    expect(controller.calls).toEqual(['finish:aborted']);
  });

  it('Ctrl+C restores and exits as interrupted, even under a dialog', async () => {
    const { controller, exits, mounted } = deck();
    mounted.input.press('?');
    await waitFor(() => mounted.lastFrame().includes('Keys'));
    mounted.input.press(KEYS.ctrlC);
    await waitFor(() => exits.length === 1);
    expect(controller.calls).toEqual(['finish:interrupted']);
  });
});

describe('dialogs and the logs pane', () => {
  it('shows the run’s y/N question as a modal that takes y and swallows other keys', async () => {
    const { confirm, controller, mounted } = deck();
    const answer = confirm.host.confirm('Stop api-2 on production?');
    await waitFor(() => mounted.lastFrame().includes('Stop api-2 on production?'), { what: 'confirm modal' });
    mounted.input.press(' ');
    mounted.input.press('y');
    await expect(answer).resolves.toBe(true);
    expect(controller.calls).toEqual([]);
  });

  it('? lists the keys from the table', async () => {
    const { mounted } = deck();
    mounted.input.press('?');
    await waitFor(() => mounted.lastFrame().includes('Keys'));
    const frame = mounted.lastFrame();
    for (const text of ['next step', 'halt all', 'restore now', 'follow / pause', 'filter (regex)', 'zoom pane', 'focus Notes']) expect(frame).toContain(text);
  });

  it('/ filters the logs with a regex, esc clears it; s pauses and follows', async () => {
    const { mounted } = deck();
    mounted.input.press('/');
    for (const char of 'ECONN|retry') mounted.input.press(char);
    mounted.input.press(KEYS.enter);
    await waitFor(() => mounted.lastFrame().includes('/ECONN|retry/'), { what: 'filter applied' });
    let frame = mounted.lastFrame();
    expect(frame).toContain('upstream api-2 ECONNREFUSED');
    expect(frame).toContain('retrying attempt 2');
    expect(frame).not.toContain('GET /products');
    mounted.input.press(KEYS.escape);
    await waitFor(() => mounted.lastFrame().includes('GET /products'), { what: 'filter cleared' });
    mounted.input.press('s');
    await waitFor(() => mounted.lastFrame().includes('PAUSED'));
    mounted.input.press('s');
    await waitFor(() => mounted.lastFrame().includes('FOLLOW'));
    frame = mounted.lastFrame();
    expect(frame).not.toContain('PAUSED');
  });

  it('a paused logs pane stays put while lines arrive, and says how many were dropped', async () => {
    const { store, mounted } = deck();
    mounted.input.press('s');
    await waitFor(() => mounted.lastFrame().includes('PAUSED'));
    store.dispatch({ type: 'log.lines', t: 9000, source: 'api-1', lines: [{ text: 'a brand new line' }], dropped: 7 });
    store.flush();
    await waitFor(() => mounted.lastFrame().includes('7 lines dropped'));
    expect(mounted.lastFrame()).not.toContain('a brand new line');
    mounted.input.press('s');
    await waitFor(() => mounted.lastFrame().includes('a brand new line'));
  });

  it('digits focus a pane and f zooms it to the whole body; esc unzooms', async () => {
    const { mounted } = deck();
    mounted.input.press('4');
    mounted.input.press('f');
    await waitFor(() => !mounted.lastFrame().includes('Notes'), { what: 'zoom' });
    expect(mounted.lastFrame()).toContain('4 Logs');
    mounted.input.press(KEYS.escape);
    await waitFor(() => mounted.lastFrame().includes('Notes'), { what: 'unzoom' });
  });

  it('hides talking points with --audience', () => {
    const store = storeWith(injectedRun());
    mounted = mount(<App run={{ store, isAudience: true }} onExit={() => {}} />, { columns: 120, rows: 40 });
    expect(mounted.lastFrame()).not.toContain('Ask the room');
    mounted.unmount();
    mounted = mount(<App run={{ store, isAudience: false }} onExit={() => {}} />, { columns: 120, rows: 40 });
    expect(mounted.lastFrame()).toContain('Ask the room');
  });

  it('shows the halted banner', async () => {
    const events = [...injectedRun(), ...stamp([{ type: 'halted', reason: 'halt all pressed by the presenter' }], 40_000)];
    const { mounted } = deck({ events });
    expect(mounted.lastFrame()).toContain('HALTED at 0:40: halt all pressed by the presenter');
  });
});
