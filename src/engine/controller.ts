import type { Phase } from './events';

// What a presenter can ask of a live run. The deck's keys, the headless CLI's
// prompts and tests all drive a run through this and nothing else; none of
// these methods throws — failures arrive as events.

/** Presenter commands, by their dotted ids (the key table maps keys to these). */
export type PresenterCommandId = 'deck.next' | 'deck.back' | 'deck.run' | 'deck.restore' | 'deck.halt' | 'deck.quit';

/** How a run ended, for the exit code and the report. */
export interface RunOutcome {
  readonly status: 'completed' | 'failed' | 'aborted' | 'interrupted';
  readonly exitCode: number;
  readonly pendingFaults: number;
}

/** Controls one run. */
export interface RunController {
  /** Enters the next step without running it (the presenter runs it with `runStep`); in auto mode steps run themselves. */
  next(): void;
  /** Goes back one step; nothing is re-run. */
  back(): void;
  /** Jumps to the first step of a phase (replay and rehearsal navigation). */
  jumpTo?(phase: Phase): void;
  /** Runs the current step's actions, expectations and wait. Ignored while a step is running. */
  runStep(): void;
  /** Undoes every pending fault now; the run goes on. */
  restore(): void;
  /** Halt all: aborts what runs, undoes every fault at once, shows a banner. */
  halt(reason?: string): void;
  /** Restores, evaluates the verdict, ends the run; resolves with its outcome. Safe to call twice. */
  finish(status?: 'completed' | 'aborted' | 'interrupted'): Promise<RunOutcome>;
  /** Whether a step's actions are running now. */
  isBusy(): boolean;
  /** Resolves when the run has ended, however it ended. */
  readonly done: Promise<RunOutcome>;
}

/** What the run asks of its host (the deck or the headless CLI). */
export interface RunHost {
  /** Asks y/N before a destructive action on a real environment. */
  confirm(question: string): Promise<boolean>;
}
