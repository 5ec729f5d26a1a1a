import type { DeckEvent } from '../engine/events';
import type { ViewState } from '../engine/view-state';
import type { Scenario } from '../scenario/schema';

// What the audience may not see. Talking points (`say`) are the presenter's;
// they travel inside the scenario that `run.started` carries and the snapshot's
// run. Everything else in the stream is meant for the room.

function withoutTalkingPoints(scenario: Scenario): Scenario {
  if (scenario.steps.every((step) => step.say.length === 0)) return scenario;
  return { ...scenario, steps: scenario.steps.map((step) => (step.say.length === 0 ? step : { ...step, say: [] })) };
}

/** The event as the audience gets it; the same object when nothing in it is presenter-only. */
export function audienceEvent(event: DeckEvent): DeckEvent {
  if (event.type !== 'run.started') return event;
  return { ...event, scenario: withoutTalkingPoints(event.scenario) };
}

/** The view state as the audience gets it. */
export function audienceState(state: ViewState): ViewState {
  if (!state.run) return state;
  return { ...state, run: { ...state.run, scenario: withoutTalkingPoints(state.run.scenario) } };
}
