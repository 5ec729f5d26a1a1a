import { useApp } from 'ink';
import { useMemo } from 'react';
import { App } from '../ui/App';
import type { DeckMode } from '../ui/contexts';
import type { CommandHandler, CommandId } from '../ui/keymap';
import type { BrowseStore } from './browse-store';

// A student's deck: the presenter's own App, read-only, fed by the stream
// through a browse store. Its keys are replay's: ← and → look at other steps,
// space pauses on a step or returns to live; q leaves. Nothing reaches a run.

/** The badge and clock a follower shows; it can drive nothing. */
export const FOLLOW_MODE: DeckMode = { badge: 'FOLLOW', role: 'follow', isReadOnly: true, clock: 'wall' };

/** Props of the follower's deck. */
export interface FollowDeckProps {
  readonly store: BrowseStore;
  /** Hides talking points (the audience stream has none anyway). */
  readonly isAudience: boolean;
}

/** The deck, following. */
export function FollowDeck({ store, isAudience }: FollowDeckProps) {
  const { exit } = useApp();
  const binding = useMemo(() => ({ store, mode: FOLLOW_MODE, isAudience }), [store, isAudience]);
  const handlers = useMemo<Partial<Record<CommandId, CommandHandler>>>(() => {
    const shown = () => store.pinnedStep() ?? store.getSnapshot().currentStep;
    return {
      'replay.seekBack': () => {
        store.pin(Math.max(0, shown() - 1));
        return true;
      },
      'replay.seekForward': () => {
        store.pin(shown() + 1);
        return true;
      },
      'replay.pause': () => {
        store.pin(store.pinnedStep() === null ? store.getSnapshot().currentStep - 1 : null);
        return true;
      },
    };
  }, [store]);
  return <App run={binding} screenHandlers={handlers} onExit={() => exit()} />;
}
