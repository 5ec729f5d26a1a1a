import { afterEach, describe, expect, it } from 'vitest';
import { ReplayDeck, REPLAY_MODE } from '../../src/cli/commands/replay';
import { createViewStore } from '../../src/engine/store';
import { createReplayController, type ReplayClock } from '../../src/record/replay-controller';
import { ReplayTimeline } from '../../src/record/timeline';
import { injectedRun, KEYS, mount, waitFor, type Mounted } from './ui-harness';

// The real deck on a replay: the REPLAY badge, the replay keys from the key
// table, and none of the actions (run, restore, halt) offered or reachable.

let mounted: Mounted | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

function openDeck() {
  const timeline = new ReplayTimeline();
  timeline.append(injectedRun());
  const store = createViewStore({ frameMs: 0 });
  let now = 0;
  const clock: ReplayClock = { now: () => now, every: () => () => undefined };
  const replay = createReplayController({ timeline, store, clock });
  let exits = 0;
  mounted = mount(<ReplayDeck replay={replay} binding={{ store, mode: REPLAY_MODE, isAudience: false }} onExit={() => { exits++; }} />, { columns: 120, rows: 36 });
  return { replay, store, mounted, exits: () => exits, advance: (ms: number) => { now += ms; } };
}

describe('replay in the deck', () => {
  it('shows the REPLAY badge and opens on the first step', async () => {
    const { mounted: deck } = openDeck();
    await waitFor(() => deck.lastFrame().includes('REPLAY'), { what: 'the REPLAY badge' });
    expect(deck.lastFrame()).toContain('BASELINE');
    expect(deck.lastFrame()).not.toMatch(/restore now|halt all|run step/);
  });

  it('space plays and pauses; + and − change speed', async () => {
    const { mounted: deck, replay } = openDeck();
    await waitFor(() => deck.lastFrame().includes('REPLAY'));
    expect(deck.lastFrame()).toContain('REPLAY paused ×1');
    deck.input.press(' ');
    await waitFor(() => replay.getStatus().isPlaying && deck.lastFrame().includes('REPLAY ▶ ×1'), { what: 'playing' });
    deck.input.press(' ');
    await waitFor(() => !replay.getStatus().isPlaying, { what: 'paused' });
    deck.input.press('+');
    await waitFor(() => replay.getStatus().speed === 2 && deck.lastFrame().includes('REPLAY paused ×2'), { what: '×2 in the badge' });
    deck.input.press('-');
    deck.input.press('-');
    await waitFor(() => replay.getStatus().speed === 0.5, { what: '×0.5' });
  });

  it('] jumps to the next step marker, [ back; → and ← seek 10 s', async () => {
    const { mounted: deck, replay } = openDeck();
    await waitFor(() => deck.lastFrame().includes('BASELINE'));
    deck.input.press(']');
    await waitFor(() => deck.lastFrame().includes('INJECT'), { what: 'the inject step' });
    deck.input.press('[');
    await waitFor(() => deck.lastFrame().includes('BASELINE'), { what: 'back to baseline' });
    const before = replay.getStatus().position;
    deck.input.press(KEYS.right);
    await waitFor(() => replay.getStatus().position > before, { what: 'a seek forward' });
    expect(replay.getStatus().position).toBe(Math.min(before + 10_000, replay.getStatus().end));
    deck.input.press(KEYS.left);
    await waitFor(() => replay.getStatus().position < 10_000, { what: 'a seek back' });
  });

  it('enter, r and ! do nothing: no run controller is reachable', async () => {
    const { mounted: deck, store } = openDeck();
    await waitFor(() => deck.lastFrame().includes('REPLAY'));
    const before = store.getSnapshot();
    for (const key of [KEYS.enter, 'r', '!']) deck.input.press(key);
    // Keys are handled in order: once ] has moved the replay, the three before it were handled too.
    expect(store.getSnapshot()).toBe(before);
    deck.input.press(']');
    await waitFor(() => deck.lastFrame().includes('INJECT'), { what: 'the key after them' });
    const state = store.getSnapshot();
    expect(state.halted).toBeNull();
    expect(state.actions.filter((a) => a.status === 'running')).toEqual([]);
    expect(deck.lastFrame()).not.toContain('HALTED');
  });

  it('q leaves at once', async () => {
    const { mounted: deck, exits } = openDeck();
    await waitFor(() => deck.lastFrame().includes('REPLAY'));
    deck.input.press('q');
    await waitFor(() => exits() === 1, { what: 'exit' });
  });
});
