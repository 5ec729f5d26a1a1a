import type { RunOutcome } from '../engine/controller';
import type { EventSink } from '../engine/events';
import type { CliIo } from './command';

// Extra consumers of a run's stream that options switch on: the recorder
// (--record, --no-record), the report (--report DIR), the Chaos Toolkit journal
// (--journal FILE), the share server (--share). Each registers a factory here,
// so `run` and `present` get them all without knowing them.

/** What a factory gets. */
export interface RunHookInput {
  readonly io: CliIo;
  readonly values: Readonly<Record<string, unknown>>;
  readonly scenarioRef: string;
  /** True when the full-screen deck hosts the run: hooks draw nothing on the terminal themselves. */
  readonly isDeck?: boolean;
}

/** What a factory returns: sinks to add and a close hook called with the outcome. */
export interface RunHook {
  readonly sinks: readonly EventSink[];
  close(outcome: RunOutcome): Promise<void>;
}

type Factory = (input: RunHookInput) => Promise<RunHook | null>;
const factories: Factory[] = [];

/** Registers a run hook factory (the recorder, reporter and share server do). */
export function registerRunHook(factory: Factory): void {
  factories.push(factory);
}

/** Builds every registered hook for a run. */
export async function extraRunSinks(input: RunHookInput): Promise<RunHook> {
  const hooks = (await Promise.all(factories.map((f) => f(input)))).filter((h): h is RunHook => h !== null);
  return {
    sinks: hooks.flatMap((h) => h.sinks),
    async close(outcome) {
      for (const hook of hooks) await hook.close(outcome);
    },
  };
}
