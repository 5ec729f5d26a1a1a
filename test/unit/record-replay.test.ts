import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { reduceAll } from '../../src/engine/reducer';
import { createViewStore } from '../../src/engine/store';
import { createReplayController, type ReplayClock } from '../../src/record/replay-controller';
import { KEYFRAME_EVERY, ReplayTimeline } from '../../src/record/timeline';
import { sampleRun, scenario } from './record-helpers';

// Replay folds the same events through the same reducer; seeking starts from a
// keyframe, and the clock can pause, change speed and jump between steps.

/** A clock the test advances by hand. */
function manualClock() {
  let now = 0;
  const ticks = new Set<() => void>();
  const clock: ReplayClock = {
    now: () => now,
    every(_ms, tick) {
      ticks.add(tick);
      return () => ticks.delete(tick);
    },
  };
  return {
    clock,
    advance(ms: number, step = 50) {
      for (let done = 0; done < ms; done += step) {
        now += Math.min(step, ms - done);
        for (const tick of [...ticks]) tick();
      }
    },
    isTicking: () => ticks.size > 0,
  };
}

/**
 * A long stream: log batches (some with source timestamps, some reporting
 * dropped lines; more lines than the log window holds), latency samples and
 * breaker flips every 10 ms over `count` events, with a second run starting
 * part way through (which resets the view).
 */
function longRun(count: number): DeckEvent[] {
  const start = sampleRun().filter((e) => e.t < 2);
  const events: DeckEvent[] = [...start];
  for (let i = 0; events.length < count; i++) {
    const t = 2 + i * 10;
    if (i === 1_700) events.push(...start.map((e) => ({ ...e, t })));
    else if (i % 3 !== 2) events.push({ t, type: 'log.lines', source: `api-${i % 2}`, lines: [{ text: `line ${i}` }, { text: `more ${i}`, ts: 1_700_000_000_000 + i }, { text: `last ${i}` }], dropped: i % 7 === 0 ? 2 : 0 });
    else if (i % 9 === 2) events.push({ t, type: 'breaker', source: 'lab', name: 'backendCB', state: i % 2 ? 'OPEN' : 'CLOSED' });
    else events.push({ t, type: 'latency', source: 'load', p50: i % 50, p95: i % 97, p99: 100, rps: 10, errorRate: 0 });
  }
  return events;
}

function open(events: DeckEvent[]) {
  const timeline = new ReplayTimeline();
  timeline.append(events);
  const store = createViewStore();
  const manual = manualClock();
  const replay = createReplayController({ timeline, store, clock: manual.clock });
  return { timeline, store, replay, ...manual };
}

describe('ReplayTimeline', () => {
  const events = longRun(5 * KEYFRAME_EVERY + 123);
  const timeline = new ReplayTimeline();
  // Appended in uneven batches, as the reader delivers them.
  for (let i = 0; i < events.length; i += 777) timeline.append(events.slice(i, i + 777));

  it('overflows the log window, so the folds drop lines as the reducer does', () => {
    expect(timeline.finalState.logs.dropped).toBeGreaterThan(1_000);
  });

  it.each([0, 1, 2, KEYFRAME_EVERY - 1, KEYFRAME_EVERY, KEYFRAME_EVERY + 1, 3 * KEYFRAME_EVERY + 500, 4 * KEYFRAME_EVERY + 7, events.length - 1, events.length])(
    'the state after %i events equals folding them from the start', (count) => {
      expect(timeline.stateAfter(count)).toEqual(reduceAll(events.slice(0, count)));
    },
  );

  it('finds how many events happened by a time', () => {
    expect(timeline.countAt(-1)).toBe(0);
    expect(timeline.countAt(events.at(-1)!.t)).toBe(events.length);
    const middle = events[2_500]!.t;
    expect(timeline.countAt(middle)).toBe(events.findLastIndex((e) => e.t <= middle) + 1);
  });

  it('marks every step entry with its phase', () => {
    const run = new ReplayTimeline();
    run.append(sampleRun());
    expect(run.markers.map((m) => [m.step, m.phase, m.isPhaseStart, m.title])).toEqual(
      scenario.steps.map((s, i) => [i, s.phase, true, s.title]),
    );
    expect(run.openingTime).toBe(1);
  });
});

describe('createReplayController', () => {
  it('opens on the first step, paused', () => {
    const { store, replay } = open(sampleRun());
    expect(store.getSnapshot().currentStep).toBe(0);
    expect(replay.getStatus()).toMatchObject({ position: 1, isPlaying: false, speed: 1 });
  });

  it('plays at the chosen speed and stops at the end with the live final state', () => {
    const events = sampleRun();
    const { store, replay, advance, isTicking } = open(events);
    replay.play();
    advance(10_000);
    expect(replay.getStatus().position).toBeCloseTo(10_001, 0);
    store.flush();
    expect(store.getSnapshot().currentStep).toBe(1);
    replay.faster();
    replay.faster();
    expect(replay.getStatus().speed).toBe(4);
    advance(5_000);
    expect(replay.getStatus().position).toBeCloseTo(30_001, 0);
    advance(10_000);
    expect(replay.getStatus()).toMatchObject({ isPlaying: false, isAtEnd: true, position: events.at(-1)!.t });
    expect(isTicking()).toBe(false);
    store.flush();
    expect(store.getSnapshot()).toEqual(reduceAll(events));
  });

  it('pause holds the position; speeds stay within ×0.5–×16', () => {
    const { replay, advance } = open(sampleRun());
    replay.play();
    advance(2_000);
    replay.pause();
    const held = replay.getStatus().position;
    advance(5_000);
    expect(replay.getStatus().position).toBe(held);
    for (let i = 0; i < 10; i++) replay.faster();
    expect(replay.getStatus().speed).toBe(16);
    for (let i = 0; i < 10; i++) replay.slower();
    expect(replay.getStatus().speed).toBe(0.5);
  });

  it('seeks ±10 s and shows the state at that time, back and forth', () => {
    const events = sampleRun();
    const { store, replay } = open(events);
    replay.seekBy(25_000);
    store.flush();
    expect(replay.getStatus().position).toBe(25_001);
    expect(store.getSnapshot()).toEqual(reduceAll(events.filter((e) => e.t <= 25_001)));
    expect(store.getSnapshot().breakers[0]?.state).toBe('CLOSED');
    replay.seekBy(-10_000);
    store.flush();
    expect(store.getSnapshot().breakers[0]?.state).toBe('OPEN');
    expect(store.getSnapshot()).toEqual(reduceAll(events.filter((e) => e.t <= 15_001)));
    replay.seekBy(-100_000);
    expect(replay.getStatus().position).toBe(0);
  });

  it('[ and ] walk the step markers', () => {
    const { store, replay } = open(sampleRun());
    expect(replay.nextMarker()).toBe(true);
    store.flush();
    expect(store.getSnapshot().phase).toBe('inject');
    replay.nextMarker();
    replay.nextMarker();
    store.flush();
    expect(store.getSnapshot().phase).toBe('restore');
    expect(replay.nextMarker()).toBe(false);
    replay.previousMarker();
    store.flush();
    expect(store.getSnapshot().phase).toBe('observe');
    expect(replay.getStatus().marker?.phase).toBe('observe');
  });

  it('offers a run controller whose actions change nothing', async () => {
    const events = sampleRun();
    const { store, replay } = open(events);
    const before = store.getSnapshot();
    replay.run.runStep();
    replay.run.restore();
    replay.run.halt('no');
    store.flush();
    expect(store.getSnapshot()).toBe(before);
    replay.run.next();
    store.flush();
    expect(store.getSnapshot().phase).toBe('inject');
    replay.run.jumpTo?.('restore');
    store.flush();
    expect(store.getSnapshot().phase).toBe('restore');
    expect(await replay.run.finish()).toEqual({ status: 'completed', exitCode: 0, pendingFaults: 0 });
  });
});
