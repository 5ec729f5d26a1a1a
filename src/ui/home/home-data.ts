// What the home screen shows, handed in by the CLI: the UI reads no
// scenario folders, journals or doctor checks itself, so each of those can
// change (or be absent) without touching a component.

/** Whether doctor says a scenario can run here. */
export interface RunnableVerdict {
  readonly isRunnable: boolean;
  /** What is missing (`docker not on PATH`, `needs root`). */
  readonly reasons: readonly string[];
}

/** One scenario in the list. */
export interface HomeEntry {
  readonly pack: string;
  /** The scenario file; the CLI opens runs by it. */
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly summary?: string;
  readonly hypothesis?: string;
  readonly difficulty?: 'easy' | 'medium' | 'hard';
  /** As written in the scenario (`15m`). */
  readonly duration?: string;
  readonly week?: number;
  /** Environment profiles of its pack; the first is the default. */
  readonly profiles: readonly string[];
  /** Drivers, binaries and root it needs, as one readable list. */
  readonly needs: readonly string[];
  /** Doctor's verdict; undefined when no doctor check is available. */
  readonly runnable?: RunnableVerdict;
  /** Set when the file does not load; the entry cannot be opened. */
  readonly error?: string;
}

/** Where the presenter (or learner) is on the learning path, when there is one. */
export interface LearningPosition {
  /** One line: `Week 3 of 4: Circuit breakers · 5/10 done · next: Network partition`. */
  readonly summary: string;
  /** The scenario the path suggests next; the list starts on it and marks it. */
  readonly nextScenarioId?: string;
  /** The pack of the next scenario (ids may repeat across packs). */
  readonly nextPack?: string;
}

/** Everything the home screen draws. */
export interface HomeData {
  readonly entries: readonly HomeEntry[];
  /** Faults left injected by runs that are gone (from the rollback journal). */
  readonly pendingFaults: readonly { readonly runId: string; readonly scenarioId: string; readonly summary: string }[];
  readonly learning?: LearningPosition;
  /** False when no doctor check exists yet, so the list shows requirements without a verdict and says so. */
  readonly hasDoctor: boolean;
}
