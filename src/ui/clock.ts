// One ticking clock per deck. Every pane that shows time (header, status ages,
// breaker time-in-state, the footer's notice) reads it, so an idle deck draws
// one frame a second rather than one per ticking pane.

/** A wall clock that ticks on the second while anyone listens. */
export interface Ticker {
  now(): number;
  subscribe(listener: () => void): () => void;
}

/** Creates a ticker; its timer runs only while it has listeners. */
export function createTicker(intervalMs = 1000): Ticker {
  let now = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const listeners = new Set<() => void>();
  const tick = () => {
    now = Date.now();
    for (const listener of listeners) listener();
    timer = setTimeout(tick, intervalMs - (now % intervalMs) + 5);
  };
  return {
    now: () => now,
    subscribe(listener) {
      listeners.add(listener);
      if (!timer) {
        now = Date.now();
        timer = setTimeout(tick, intervalMs - (now % intervalMs) + 5);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearTimeout(timer);
          timer = undefined;
        }
      };
    },
  };
}
