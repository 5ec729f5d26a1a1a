import { describe, expect, it, afterEach } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { createViewStore } from '../../src/engine/store';
import { createBrowseStore } from '../../src/share/browse-store';
import type { FollowerStatus } from '../../src/share/follower';
import { FollowDeck } from '../../src/share/FollowDeck';
import { notesClock, PresenterNotes } from '../../src/share/PresenterNotes';
import { terminalQr } from '../../src/share/share-qr';
import { ShareOverlay } from '../../src/ui/panes/ShareOverlay';
import { demoRunStarted } from '../integration/share-helpers';
import { KEYS, mount, waitFor, type Mounted } from './ui-harness';

// The terminal views of sharing: a student's read-only deck that can look
// back at past steps, the presenter's notes screen, and the join overlay.

let mounted: Mounted | null = null;
afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

async function storeAtStep(index: number) {
  const store = createViewStore({ frameMs: 0 });
  const phases = ['baseline', 'inject', 'observe', 'restore'] as const;
  const events: DeckEvent[] = [{ ...(await demoRunStarted()), t: 0 }];
  for (let i = 0; i <= index; i++) events.push({ type: 'step.entered', t: 1000 * (i + 1), index: i, phase: phases[i]! });
  for (const e of events) store.dispatch(e);
  store.flush();
  return store;
}

const live: FollowerStatus = { phase: 'live', role: 'presenter', seq: 3, epoch: 'e', reconnects: 0, resumes: 0, duplicatesSkipped: 0 };

describe('share views', () => {
  it('the follower deck is read-only and browses back to a past step and returns to live', async () => {
    const view = createBrowseStore(await storeAtStep(1));
    mounted = mount(<FollowDeck store={view} isAudience />, { columns: 120, rows: 36 });
    await waitFor(() => mounted!.lastFrame().includes('Raise the flag'), { what: 'the live step' });
    expect(mounted.lastFrame()).toContain('FOLLOW');
    expect(mounted.lastFrame()).not.toMatch(/run step|restore now|halt all/);
    mounted.input.press(KEYS.left);
    await waitFor(() => mounted!.lastFrame().includes('viewing step 1 of 4'), { what: 'the browsing hint' });
    expect(mounted.lastFrame()).toContain('The flag is down');
    mounted.input.press(' ');
    await waitFor(() => !mounted!.lastFrame().includes('viewing step'), { what: 'back to live' });
    expect(view.pinnedStep()).toBeNull();
  });

  it('the notes view shows talking points, the next step and the timers', async () => {
    const store = await storeAtStep(1);
    const connection = { getSnapshot: () => live, subscribe: () => () => undefined };
    mounted = mount(<PresenterNotes store={store} connection={connection} />, { columns: 100, rows: 30 });
    await waitFor(() => mounted!.lastFrame().includes('Say'), { what: 'the notes view' });
    const frame = mounted.lastFrame();
    expect(frame).toContain('The undo is on disk before the fault exists.');
    expect(frame).toContain('Next: 3 · OBSERVE · The probe sees it');
    expect(frame).toMatch(/run \d+:\d\d · step \d+:\d\d · live/);
  });

  it('the clock counts the step from when it was entered and stops with the run', async () => {
    const state = (await storeAtStep(1)).getSnapshot();
    const started = Date.parse(state.run!.startedAt);
    expect(notesClock(state, started + 5_000)).toEqual({ run: 5_000, step: 3_000 });
    expect(notesClock({ ...state, status: 'completed', t: 9_000 }, started + 60_000)).toEqual({ run: 9_000, step: 7_000 });
  });

  it('the join overlay shows the URL, the token and a QR code', async () => {
    const url = 'http://192.168.1.20:7777/?token=abcdefghijklmnopqrstuv';
    const info = { url, token: 'abcdefghijklmnopqrstuv', isLoopback: false, ...(await terminalQr(url)) };
    mounted = mount(<ShareOverlay info={info} width={100} height={36} />, { columns: 100, rows: 36 });
    await waitFor(() => mounted!.lastFrame().includes('Follow along'), { what: 'the overlay' });
    const frame = mounted.lastFrame();
    expect(frame).toContain(url);
    expect(frame).toContain('token: abcdefghijklmnopqrstuv');
    expect(frame).toContain('▄▄▄▄▄▄▄');
  });
});
