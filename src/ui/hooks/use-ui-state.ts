import { useContext } from 'react';
import { UiStateContext } from '../contexts';
import type { UiState } from '../ui-state';

/** The deck's UI state (focus, zoom, logs modes, dialog). */
export function useUiState(): UiState {
  const state = useContext(UiStateContext);
  if (!state) throw new Error('useUiState() outside <UiProvider>');
  return state;
}
