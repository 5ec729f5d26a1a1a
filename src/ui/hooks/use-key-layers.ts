import { useInput } from 'ink';
import { useRef } from 'react';
import { dispatchKey, type KeyLayer } from '../keymap';

/**
 * The one place a screen reads keys: every key press goes to `dispatchKey`
 * with the layers `getLayers` builds at that moment, so a key sees the state
 * the previous key left even before React re-rendered. Read through a ref, so
 * a re-render never re-subscribes Ink's input handler.
 */
export function useKeyLayers(getLayers: () => readonly KeyLayer[], { isReadOnly = false, isActive = true } = {}): void {
  const current = useRef({ getLayers, isReadOnly });
  current.current = { getLayers, isReadOnly };
  useInput((input, key) => {
    dispatchKey(current.current.getLayers(), input, key, { isReadOnly: current.current.isReadOnly });
  }, { isActive });
}
