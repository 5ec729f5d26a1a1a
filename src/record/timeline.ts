import type { DeckEvent, Phase } from '../engine/events';
import { reduce } from '../engine/reducer';
import { initialViewState, type ViewState } from '../engine/view-state';

// The index replay seeks with. Events are folded once, as they load, and the
// reduced state is kept every KEYFRAME_EVERY events; a seek starts from the
// nearest keyframe before the target and folds at most that many events, so
// any point of a one-hour recording is drawn in milliseconds. The reducer is
// pure and its states share structure, so keyframes cost little memory.

/** Events between two keyframes. */
export const KEYFRAME_EVERY = 1_000;

/** A step boundary replay can jump to with [ and ]. */
export interface ReplayMarker {
  /** Run time of the `step.entered` event. */
  readonly t: number;
  readonly step: number;
  readonly phase: Phase;
  /** True for the first step of its phase. */
  readonly isPhaseStart: boolean;
  readonly title: string;
}

/** A growing, seekable index of a recording's events. */
export class ReplayTimeline {
  private readonly eventList: DeckEvent[] = [];
  private times = new Float64Array(1024);
  private readonly keyframes: ViewState[] = [initialViewState];
  private tip: ViewState = initialViewState;
  private readonly markerList: ReplayMarker[] = [];
  private lastPhase: Phase | null = null;

  /** Folds more events in, in order; their times must not run backwards. */
  append(events: readonly DeckEvent[]): void {
    for (const event of events) {
      const index = this.eventList.length;
      if (index === this.times.length) {
        const grown = new Float64Array(this.times.length * 2);
        grown.set(this.times);
        this.times = grown;
      }
      this.times[index] = event.t;
      this.eventList.push(event);
      this.tip = reduce(this.tip, event);
      if ((index + 1) % KEYFRAME_EVERY === 0) this.keyframes.push(this.tip);
      if (event.type === 'step.entered') {
        const title = this.tip.run?.scenario.steps[event.index]?.title ?? `step ${event.index + 1}`;
        this.markerList.push({ t: event.t, step: event.index, phase: event.phase, isPhaseStart: event.phase !== this.lastPhase, title });
        this.lastPhase = event.phase;
      }
    }
  }

  /** How many events are indexed. */
  get length(): number {
    return this.eventList.length;
  }

  /** The events indexed so far. */
  get events(): readonly DeckEvent[] {
    return this.eventList;
  }

  /** Step markers, in time order. */
  get markers(): readonly ReplayMarker[] {
    return this.markerList;
  }

  /** Run time of the last indexed event (0 when none). */
  get end(): number {
    return this.eventList.length === 0 ? 0 : this.times[this.eventList.length - 1]!;
  }

  /** The state after every indexed event. */
  get finalState(): ViewState {
    return this.tip;
  }

  /** Time of the event at `index`. */
  timeAt(index: number): number {
    return this.times[index]!;
  }

  /** How many events have `t ≤ time` (binary search). */
  countAt(time: number): number {
    let low = 0;
    let high = this.eventList.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.times[mid]! <= time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The view state after the first `count` events: the nearest keyframe, then at most KEYFRAME_EVERY − 1 folds. */
  stateAfter(count: number): ViewState {
    const n = Math.max(0, Math.min(count, this.eventList.length));
    if (n === this.eventList.length) return this.tip;
    const k = Math.min(Math.floor(n / KEYFRAME_EVERY), this.keyframes.length - 1);
    let state = this.keyframes[k]!;
    for (let i = k * KEYFRAME_EVERY; i < n; i++) state = reduce(state, this.eventList[i]!);
    return state;
  }

  /** The view state at a run time: every event with `t ≤ time` folded in. */
  stateAt(time: number): ViewState {
    return this.stateAfter(this.countAt(time));
  }

  /** Where replay opens: the first step's entry (so the deck shows step 1, not an empty screen), else the end. */
  get openingTime(): number {
    return this.markerList[0]?.t ?? this.end;
  }
}
