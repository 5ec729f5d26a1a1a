import type { Scenario } from '../scenario/schema';
import type { RunOutcome } from './controller';

// Chaos Toolkit's strategies, decided once per run: when the steady state is
// checked (before, after, during the method) and when rollbacks are played.

/** The steady-state hypothesis strategies. */
export type HypothesisStrategy = 'default' | 'before-method-only' | 'after-method-only' | 'during-method' | 'continuously';
/** The rollback strategies. */
export type RollbackStrategy = 'default' | 'always' | 'never' | 'deviated';

/** What a run's strategies mean for it. */
export interface Strategies {
  readonly rollback: RollbackStrategy;
  readonly checksBefore: boolean;
  readonly checksAfter: boolean;
  readonly checksDuring: boolean;
  /** A Chaos Toolkit experiment keeps chaoslib's status rules. */
  readonly isCtk: boolean;
  /** Deviation is decided before rolling back (Chaos Toolkit, or rollbacks only when deviated). */
  readonly isDeviationFirst: boolean;
  /** Whether the scenario's rollback actions are played for a run that ended so. */
  shouldPlayRollbacks(status: RunOutcome['status'], isDeviated: boolean): boolean;
}

/** The command line's strategies, else the experiment's `runtime`, else the defaults. */
export function resolveStrategies(scenario: Scenario, hypothesis?: HypothesisStrategy, rollback?: RollbackStrategy): Strategies {
  const hypothesisStrategy = hypothesis ?? scenario.runtime?.hypothesisStrategy ?? 'default';
  const rollbackStrategy = rollback ?? scenario.runtime?.rollbackStrategy ?? 'default';
  const isCtk = scenario.origin?.format === 'chaostoolkit';
  return {
    rollback: rollbackStrategy,
    checksBefore: ['default', 'before-method-only', 'continuously'].includes(hypothesisStrategy),
    checksAfter: ['default', 'after-method-only', 'continuously'].includes(hypothesisStrategy),
    checksDuring: ['during-method', 'continuously'].includes(hypothesisStrategy),
    isCtk,
    isDeviationFirst: isCtk || rollbackStrategy === 'deviated',
    shouldPlayRollbacks(status, isDeviated) {
      if (rollbackStrategy === 'never') return false;
      // The deliberate difference from Chaos Toolkit: a presenter is never left with a fault in place.
      if (status === 'aborted' || status === 'interrupted') return true;
      if (rollbackStrategy === 'always') return true;
      if (rollbackStrategy === 'deviated') return isDeviated;
      return !isCtk || status !== 'failed';
    },
  };
}
