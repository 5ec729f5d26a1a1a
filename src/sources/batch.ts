// Streams are batched before React sees them: a source that gets 10,000 lines
// a second emits one event every flush interval, and drops the oldest lines
// beyond a bound so a flood never grows memory.

/** Collects lines and flushes them in batches. */
export interface LineBatcher {
  push(text: string, ts?: number): void;
  /** Emits whatever is pending now. */
  flush(): void;
  /** Flushes and stops the timer. */
  close(): void;
}

/** Options for a line batcher. */
export interface LineBatcherOptions {
  readonly flushMs?: number;
  /** Lines kept between flushes; older ones are counted as dropped. */
  readonly maxPending?: number;
  readonly onFlush: (lines: { ts?: number; text: string }[], dropped: number) => void;
}

/** Creates a batcher that flushes every `flushMs` (default 75 ms) while lines are pending. */
export function createLineBatcher({ flushMs = 75, maxPending = 5_000, onFlush }: LineBatcherOptions): LineBatcher {
  let pending: { ts?: number; text: string }[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (pending.length === 0 && dropped === 0) return;
    const lines = pending;
    const count = dropped;
    pending = [];
    dropped = 0;
    onFlush(lines, count);
  };
  return {
    push(text, ts) {
      pending.push(ts === undefined ? { text } : { ts, text });
      if (pending.length > maxPending) {
        const excess = pending.length - maxPending;
        pending.splice(0, excess);
        dropped += excess;
      }
      timer ??= setTimeout(flush, flushMs);
    },
    flush() {
      if (timer) clearTimeout(timer);
      flush();
    },
    close() {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}
