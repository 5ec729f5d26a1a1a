import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { createViewStore } from '../../src/engine/store';
import { createBrowseStore } from '../../src/share/browse-store';
import { demoRunStarted } from '../integration/share-helpers';

// A follower's local view: looking back at a past step and returning to live
// never touches the live state, and the view is stable between changes.

async function liveAtStep(index: number) {
  const live = createViewStore({ frameMs: 0 });
  const events: DeckEvent[] = [{ ...(await demoRunStarted()), t: 0 }];
  for (let i = 0; i <= index; i++) events.push({ type: 'step.entered', t: i + 1, index: i, phase: (['baseline', 'inject', 'observe', 'restore'] as const)[i]! });
  for (const e of events) live.dispatch(e);
  live.flush();
  return live;
}

describe('browse store', () => {
  it('shows a pinned past step and returns to live when the presenter\'s step is reached', async () => {
    const live = await liveAtStep(2);
    const view = createBrowseStore(live);
    let heard = 0;
    view.subscribe(() => heard++);
    expect(view.getSnapshot()).toBe(live.getSnapshot());

    view.pin(0);
    expect(view.getSnapshot().currentStep).toBe(0);
    expect(view.getSnapshot().phase).toBe('baseline');
    expect(view.getSnapshot()).toBe(view.getSnapshot());
    expect(view.getSnapshot().notices.at(-1)?.text).toMatch(/viewing step 1 of 4 \(presenter at 3\)/);
    expect(live.getSnapshot().currentStep).toBe(2);
    expect(heard).toBe(1);

    view.pin(-5);
    expect(view.pinnedStep()).toBe(0);
    view.pin(2);
    expect(view.pinnedStep()).toBeNull();
    expect(view.getSnapshot()).toBe(live.getSnapshot());
  });

  it('carries a connection status line until it is cleared', async () => {
    const live = await liveAtStep(0);
    const view = createBrowseStore(live);
    view.setStatus('reconnecting to the share…');
    expect(view.getSnapshot().notices.at(-1)).toMatchObject({ level: 'warn', text: 'reconnecting to the share…' });
    view.setStatus(null);
    expect(view.getSnapshot().notices).toEqual(live.getSnapshot().notices);
  });
});
