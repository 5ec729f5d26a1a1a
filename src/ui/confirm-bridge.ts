import type { RunHost } from '../engine/controller';

// The run asks y/N before a destructive action on a real environment
// (RunHost.confirm). The engine must not know about Ink, so the question goes
// through this small external store: the CLI hands `host` to the session,
// the deck subscribes and shows a modal, the answer resolves the promise.

/** A question waiting for the presenter. */
export interface ConfirmRequest {
  readonly id: number;
  readonly question: string;
}

/** A RunHost whose questions the deck answers. */
export interface ConfirmBridge {
  readonly host: RunHost;
  /** The oldest unanswered question, or null. */
  getSnapshot(): ConfirmRequest | null;
  subscribe(listener: () => void): () => void;
  /** Answers the oldest question. */
  answer(isYes: boolean): void;
  /** Answers every open question with no (the deck is closing). */
  cancelAll(): void;
}

/** Creates a bridge. Questions queue; each is answered once. */
export function createConfirmBridge(): ConfirmBridge {
  const queue: { request: ConfirmRequest; resolve: (isYes: boolean) => void }[] = [];
  const listeners = new Set<() => void>();
  let nextId = 1;
  const notify = () => {
    for (const listener of listeners) listener();
  };
  return {
    host: {
      confirm(question) {
        return new Promise<boolean>((resolve) => {
          queue.push({ request: { id: nextId++, question }, resolve });
          notify();
        });
      },
    },
    getSnapshot: () => queue[0]?.request ?? null,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    answer(isYes) {
      const head = queue.shift();
      if (!head) return;
      head.resolve(isYes);
      notify();
    },
    cancelAll() {
      for (const item of queue.splice(0)) item.resolve(false);
      notify();
    },
  };
}
