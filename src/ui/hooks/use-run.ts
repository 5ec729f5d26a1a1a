import { useContext } from 'react';
import type { RunMode } from '../../engine/events';
import { RunContext, type DeckMode, type RunBinding } from '../contexts';

/** The run the deck is bound to. */
export function useRun(): RunBinding {
  const run = useContext(RunContext);
  if (!run) throw new Error('useRun() outside <RunContext.Provider>');
  return run;
}

/** The mode a live run implies; replay and follow pass their own. */
export function modeOfRun(mode: RunMode | undefined): DeckMode {
  if (mode === 'dry-run') return { badge: 'DRY-RUN', role: 'dryRun', isReadOnly: false, clock: 'wall' };
  if (mode === 'rehearse') return { badge: 'REHEARSE', role: 'rehearse', isReadOnly: false, clock: 'wall' };
  return { badge: 'LIVE', role: 'live', isReadOnly: false, clock: 'wall' };
}
