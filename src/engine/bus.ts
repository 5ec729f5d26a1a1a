import type { DeckEvent, EventSink, UnstampedEvent } from './events';
import type { Redactor } from './redact';
import { redactDeep } from './redact';

// The run's event stream. Everything that happens is stamped with run time
// here and handed to every sink; secrets are masked once, before any sink —
// screen, recording or follower — can see them.

/** Stamps and fans out events. */
export interface EventBus {
  /** Milliseconds since the run started. */
  now(): number;
  emit(event: UnstampedEvent): DeckEvent;
  subscribe(sink: EventSink): () => void;
}

/** Creates a bus whose clock starts now. */
export function createBus({ redact, sinks = [] }: { redact?: Redactor; sinks?: EventSink[] } = {}): EventBus {
  const origin = performance.now();
  const all = new Set<EventSink>(sinks);
  let last = 0;
  return {
    now: () => performance.now() - origin,
    emit(event) {
      // Monotonic, so replay never sees time run backwards.
      last = Math.max(last, Math.round((performance.now() - origin) * 10) / 10);
      const stamped = { ...(redact ? redactDeep(event, redact) : event), t: last } as DeckEvent;
      for (const sink of all) {
        try {
          sink(stamped);
        } catch (error) {
          process.emitWarning(`an event sink failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return stamped;
    },
    subscribe(sink) {
      all.add(sink);
      return () => all.delete(sink);
    },
  };
}
