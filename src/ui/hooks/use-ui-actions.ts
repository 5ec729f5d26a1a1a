import { useContext } from 'react';
import { UiActionsContext, type UiActions } from '../contexts';

/** The deck's UI actions; stable, so using them causes no re-render. */
export function useUiActions(): UiActions {
  const actions = useContext(UiActionsContext);
  if (!actions) throw new Error('useUiActions() outside <UiProvider>');
  return actions;
}
