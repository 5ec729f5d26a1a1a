import type { RunController, RunOutcome } from '../engine/controller';
import type { Phase } from '../engine/events';
import type { ViewStore } from '../engine/store';
import { KEYFRAME_EVERY, type ReplayMarker, type ReplayTimeline } from './timeline';

// Plays a recording into a view store: a clock that can pause, run at ×0.5 to
// ×16, jump between step markers and seek ±10 s. The deck gets it as a
// RunController too, whose navigation moves through the recording and whose
// actions (run, restore, halt) do nothing: a replay changes no system.

/** Playback speeds, slowest first; + and − step through them. */
export const REPLAY_SPEEDS = [0.5, 1, 2, 4, 8, 16] as const;

/** How far ← and → seek. */
export const SEEK_STEP_MS = 10_000;

/** Time, injectable so tests drive playback with fake timers. */
export interface ReplayClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
}

/** The wall clock. */
export const systemClock: ReplayClock = {
  now: () => performance.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  },
};

/** What the REPLAY badge and the position bar show. */
export interface ReplayStatus {
  /** Run time being shown, in ms. */
  readonly position: number;
  /** Run time of the last event loaded so far. */
  readonly end: number;
  readonly speed: number;
  readonly isPlaying: boolean;
  /** Paused at the end of a fully loaded recording. */
  readonly isAtEnd: boolean;
  /** Still reading the file; `end` grows. */
  readonly isLoading: boolean;
  /** The step marker at or before the position. */
  readonly marker: ReplayMarker | null;
  /** `file:LINE: …` when the recording stopped at a bad line. */
  readonly problem: string | null;
}

/** Drives a replay. */
export interface ReplayController {
  getStatus(): ReplayStatus;
  subscribe(listener: () => void): () => void;
  play(): void;
  pause(): void;
  toggle(): void;
  faster(): void;
  slower(): void;
  setSpeed(speed: number): void;
  /** Shows the recording as it was at `time` (clamped to what is loaded). */
  seekTo(time: number): void;
  seekBy(deltaMs: number): void;
  /** Jumps to the next step marker; false when there is none. */
  nextMarker(): boolean;
  /** Jumps to the previous step marker (or the current one's start when well past it). */
  previousMarker(): boolean;
  /** Tells the controller that loading has finished, with the problem that stopped it if any. */
  markLoaded(problem?: string | null): void;
  /** The deck's controller: navigation moves through the recording; every action is disabled. */
  readonly run: RunController;
  /** Stops playback; `run.done` resolves. */
  close(): void;
}

/** How a replay starts. */
export interface ReplayOptions {
  readonly timeline: ReplayTimeline;
  readonly store: ViewStore;
  readonly clock?: ReplayClock;
  /** How often playback advances while playing (default 50 ms). */
  readonly frameMs?: number;
  readonly speed?: number;
  /** Where to open (default: the first step). */
  readonly startAt?: number;
  /** Whether the timeline is still growing (default false). */
  readonly isLoading?: boolean;
  readonly isPlaying?: boolean;
}

// Going back within this much of a marker goes to the one before it, so [ pressed twice walks back.
const BACK_GRACE_MS = 1_500;

/** Opens a replay on a timeline; the store shows the opening frame when this returns. */
export function createReplayController(options: ReplayOptions): ReplayController {
  const { timeline, store, clock = systemClock, frameMs = 50 } = options;
  let speed = options.speed && REPLAY_SPEEDS.includes(options.speed as never) ? options.speed : 1;
  let position = 0;
  let cursor = 0;
  let isPlaying = false;
  let isLoading = options.isLoading ?? false;
  let problem: string | null = null;
  let anchor = { wall: 0, position: 0 };
  let stopTicking: (() => void) | null = null;
  let status: ReplayStatus | null = null;
  const listeners = new Set<() => void>();
  let resolveDone!: (outcome: RunOutcome) => void;
  const done = new Promise<RunOutcome>((resolve) => (resolveDone = resolve));

  const changed = () => {
    status = null;
    for (const listener of listeners) listener();
  };

  /** Shows the first `count` events: folds forward when close, else resets from a keyframe. */
  const showCount = (count: number) => {
    if (count === cursor) return;
    if (count < cursor || count - cursor > KEYFRAME_EVERY) {
      store.reset(timeline.stateAfter(count));
    } else {
      const events = timeline.events;
      for (let i = cursor; i < count; i++) store.dispatch(events[i]!);
    }
    cursor = count;
  };

  const isAtEnd = () => !isLoading && position >= timeline.end && cursor >= timeline.length;

  const stopClock = () => {
    stopTicking?.();
    stopTicking = null;
  };

  const tick = () => {
    const target = anchor.position + (clock.now() - anchor.wall) * speed;
    const end = timeline.end;
    position = Math.min(target, end);
    showCount(timeline.countAt(position));
    if (target >= end && !isLoading) {
      isPlaying = false;
      stopClock();
      store.flush();
    }
    changed();
  };

  const seekTo = (time: number) => {
    position = Math.max(0, Math.min(time, timeline.end));
    anchor = { wall: clock.now(), position };
    showCount(timeline.countAt(position));
    store.flush();
    changed();
  };

  const markerBefore = (time: number): ReplayMarker | null => {
    let found: ReplayMarker | null = null;
    for (const marker of timeline.markers) {
      if (marker.t > time) break;
      found = marker;
    }
    return found;
  };

  const setSpeed = (next: number) => {
    anchor = { wall: clock.now(), position };
    speed = next;
    changed();
  };

  const controller: ReplayController = {
    getStatus() {
      status ??= { position, end: timeline.end, speed, isPlaying, isAtEnd: isAtEnd(), isLoading, marker: markerBefore(position), problem };
      return status;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    play() {
      if (isPlaying) return;
      if (isAtEnd()) seekTo(0);
      isPlaying = true;
      anchor = { wall: clock.now(), position };
      stopTicking = clock.every(frameMs, tick);
      changed();
    },
    pause() {
      if (!isPlaying) return;
      tick();
      isPlaying = false;
      stopClock();
      changed();
    },
    toggle() {
      if (isPlaying) controller.pause();
      else controller.play();
    },
    faster() {
      const next = REPLAY_SPEEDS.find((s) => s > speed);
      if (next !== undefined) setSpeed(next);
    },
    slower() {
      const next = [...REPLAY_SPEEDS].reverse().find((s) => s < speed);
      if (next !== undefined) setSpeed(next);
    },
    setSpeed(next) {
      if (next > 0) setSpeed(next);
    },
    seekTo,
    seekBy(deltaMs) {
      seekTo(position + deltaMs);
    },
    nextMarker() {
      const next = timeline.markers.find((m) => m.t > position);
      if (!next) return false;
      seekTo(next.t);
      return true;
    },
    previousMarker() {
      const markers = timeline.markers;
      for (let i = markers.length - 1; i >= 0; i--) {
        if (markers[i]!.t < position - BACK_GRACE_MS || (i === 0 && markers[i]!.t < position)) {
          seekTo(markers[i]!.t);
          return true;
        }
      }
      return false;
    },
    markLoaded(reason = null) {
      isLoading = false;
      problem = reason;
      changed();
    },
    run: {
      next: () => void controller.nextMarker(),
      back: () => void controller.previousMarker(),
      jumpTo(phase: Phase) {
        const marker = timeline.markers.find((m) => m.phase === phase);
        if (marker) seekTo(marker.t);
      },
      runStep: () => undefined,
      restore: () => undefined,
      halt: () => undefined,
      finish: async () => {
        controller.close();
        return done;
      },
      isBusy: () => false,
      done,
    },
    close() {
      stopClock();
      isPlaying = false;
      const state = timeline.finalState;
      const outcomeStatus = state.status === 'idle' || state.status === 'running' ? 'interrupted' : state.status;
      resolveDone({ status: outcomeStatus, exitCode: state.exitCode ?? 3, pendingFaults: state.pendingFaults.length });
      changed();
    },
  };

  seekTo(options.startAt ?? timeline.openingTime);
  if (options.isPlaying) controller.play();
  return controller;
}
