import type { DeckEvent, EventOf, Phase } from '../engine/events';
import { reduce } from '../engine/reducer';
import { initialViewState, LIMITS, type LogLineView, type ViewState } from '../engine/view-state';

// The index replay seeks with. Events are folded once, as they load, and the
// reduced state is kept every KEYFRAME_EVERY events; a seek starts from the
// nearest keyframe before the target and folds at most that many events, so
// any point of a one-hour recording is drawn in milliseconds. The reducer is
// pure and its states share structure, so keyframes cost little memory.

/** Events between two keyframes. */
export const KEYFRAME_EVERY = 1_000;

/**
 * Folds events like `reduce`, but keeps the log tail in one growing buffer
 * instead of copying the 5,000-line window for every batch, and builds the
 * state's `logs` only when asked. Log batches are most of a long recording and
 * the reducer's copy is most of their cost; the timeline tests pin this to
 * `reduceAll` so the two cannot drift apart.
 */
class Folder {
  private state: ViewState;
  private buffer: LogLineView[];
  private kept: number;
  private dropped: number;
  private total: number;
  private t: number;

  constructor(from: ViewState) {
    this.state = from;
    this.buffer = from.logs.lines.slice();
    this.kept = from.logs.lines.length;
    this.dropped = from.logs.dropped;
    this.total = from.logs.total;
    this.t = from.t;
  }

  fold(event: DeckEvent): void {
    if (event.t > this.t) this.t = event.t;
    if (event.type === 'log.lines') return this.logLines(event);
    if (event.type === 'run.started') {
      this.state = reduce(this.state, event);
      this.buffer = [];
      this.kept = 0;
      this.dropped = this.state.logs.dropped;
      this.total = this.state.logs.total;
      return;
    }
    this.state = reduce(this.state, event);
  }

  private logLines(e: EventOf<'log.lines'>): void {
    for (const l of e.lines) this.buffer.push(l.ts === undefined ? { t: e.t, source: e.source, text: l.text } : { t: e.t, source: e.source, text: l.text, ts: l.ts });
    const all = this.kept + e.lines.length;
    const overflow = Math.max(0, all - LIMITS.logLines);
    this.kept = all - overflow;
    this.dropped += overflow + e.dropped;
    this.total += e.lines.length + e.dropped;
    if (this.buffer.length > 4 * LIMITS.logLines) this.buffer = this.buffer.slice(this.buffer.length - this.kept);
  }

  /** The state as `reduce` would have it now. */
  result(): ViewState {
    const lines = this.buffer.length === this.kept ? this.buffer.slice() : this.buffer.slice(this.buffer.length - this.kept);
    return { ...this.state, logs: { lines, dropped: this.dropped, total: this.total }, t: Math.max(this.state.t, this.t) };
  }
}

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
  private readonly folder = new Folder(initialViewState);
  private tip: ViewState | null = initialViewState;
  private readonly markerList: ReplayMarker[] = [];
  private lastPhase: Phase | null = null;
  private scenarioSteps: readonly { readonly title: string }[] = [];

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
      if (event.type === 'run.started') this.scenarioSteps = event.scenario.steps;
      this.eventList.push(event);
      this.folder.fold(event);
      this.tip = null;
      if ((index + 1) % KEYFRAME_EVERY === 0) this.keyframes.push(this.finalState);
      if (event.type === 'step.entered') {
        const title = this.scenarioSteps[event.index]?.title ?? `step ${event.index + 1}`;
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
    this.tip ??= this.folder.result();
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
    if (n === this.eventList.length) return this.finalState;
    const k = Math.min(Math.floor(n / KEYFRAME_EVERY), this.keyframes.length - 1);
    const from = k * KEYFRAME_EVERY;
    if (from === n) return this.keyframes[k]!;
    const folder = new Folder(this.keyframes[k]!);
    for (let i = from; i < n; i++) folder.fold(this.eventList[i]!);
    return folder.result();
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
