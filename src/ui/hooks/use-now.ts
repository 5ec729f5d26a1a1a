import { createContext, useContext, useSyncExternalStore } from 'react';
import { createTicker, type Ticker } from '../clock';

/** The deck's ticker; App provides one per deck, this default serves panes mounted alone (tests). */
export const TickerContext = createContext<Ticker>(createTicker());

const never = () => () => {};

/**
 * Wall-clock ms from the deck's shared one-second ticker, or a frozen value
 * when `isTicking` is false (replay reads time from events instead). All
 * callers update in the same React batch, so a tick costs one frame.
 */
export function useNow(isTicking = true): number {
  const ticker = useContext(TickerContext);
  return useSyncExternalStore(isTicking ? ticker.subscribe : never, ticker.now, ticker.now);
}
