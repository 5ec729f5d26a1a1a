import type { Source } from '../drivers/driver';
import { messageOf } from '../engine/errors';
import type { UnstampedEvent } from '../engine/events';

// Sources that read on an interval (Prometheus, probes' reporters, OCI, alert
// APIs) share one loop: the first read at once, overlapping reads dropped (a
// slow API never queues up reads), failures reported once as a notice until
// the source recovers.

/** Options for a polled source. */
export interface PollOptions {
  readonly id: string;
  readonly intervalMs: number;
  readonly signal: AbortSignal;
  readonly emit: (event: UnstampedEvent) => void;
  /** One read; it emits its own events. */
  readonly read: (signal: AbortSignal) => Promise<void>;
}

/** Starts polling; `stop()` waits for a read in flight to finish. */
export function startPolling(options: PollOptions): Source {
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  let inFlight: Promise<void> | null = null;
  let isFailing = false;
  const tick = () => {
    if (inFlight || controller.signal.aborted) return;
    inFlight = options
      .read(controller.signal)
      .then(() => {
        if (isFailing) options.emit({ type: 'notice', level: 'info', text: `${options.id} is reading again` });
        isFailing = false;
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted || isFailing) return;
        isFailing = true;
        options.emit({ type: 'notice', level: 'warn', text: `${options.id}: ${messageOf(error)}` });
      })
      .finally(() => {
        inFlight = null;
      });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  return {
    id: options.id,
    async stop() {
      clearInterval(timer);
      controller.abort();
      options.signal.removeEventListener('abort', abort);
      await inFlight;
    },
  };
}
