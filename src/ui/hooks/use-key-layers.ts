import { useInput } from 'ink';
import { useRef } from 'react';
import { dispatchKey, type KeyLayer } from '../keymap';

/**
 * The one place the deck reads keys: every key press goes to `dispatchKey`
 * with the current layers. The layers are read through a ref so a re-render
 * never re-subscribes Ink's input handler.
 */
export function useKeyLayers(layers: readonly KeyLayer[], { isReadOnly = false, isActive = true } = {}): void {
  const current = useRef({ layers, isReadOnly });
  current.current = { layers, isReadOnly };
  useInput((input, key) => {
    dispatchKey(current.current.layers, input, key, { isReadOnly: current.current.isReadOnly });
  }, { isActive });
}
