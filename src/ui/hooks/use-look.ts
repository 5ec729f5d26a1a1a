import { useContext } from 'react';
import { LookContext, type Look } from '../theme/context';

/** The current theme and glyphs; throws outside a LookProvider, which is a wiring bug. */
export function useLook(): Look {
  const look = useContext(LookContext);
  if (!look) throw new Error('useLook() outside <LookProvider>');
  return look;
}
