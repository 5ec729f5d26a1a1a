import { reduceAll } from '../engine/reducer';
import type { ViewState } from '../engine/view-state';
import type { RecordingHeader, TerminalSize } from './format';
import { KEYFRAME_EVERY, type ReplayTimeline } from './timeline';

// asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/): a header
// line, then `[time, "o", data]` output events and `[time, "m", label]`
// markers. The output is the deck's own frames: the caller supplies a frame
// renderer (the real App mounted on a fake terminal of the recording's size)
// and this module decides when to sample, what changed and how to draw it.

/** Draws the deck for a view state; resolves with the frame's text, one string per screen row. */
export interface FrameRenderer {
  draw(state: ViewState): Promise<readonly string[]>;
  close(): Promise<void> | void;
}

/** How an export is made. */
export interface AsciicastOptions {
  readonly timeline: ReplayTimeline;
  readonly header: RecordingHeader;
  readonly renderer: FrameRenderer;
  readonly write: (line: string) => void;
  /** Defaults to the recording's terminal. */
  readonly size?: TerminalSize;
  readonly title?: string;
  /** Most frames per second of run time (default 10). */
  readonly fps?: number;
  /** Gaps longer than this many seconds are shortened to it on playback (asciicast `idle_time_limit`, default 2). */
  readonly idleTimeLimit?: number;
}

/** What an export produced. */
export interface AsciicastResult {
  readonly frames: number;
  readonly markers: number;
  /** Seconds of run time covered. */
  readonly duration: number;
}

const round = (seconds: number) => Math.round(seconds * 1_000_000) / 1_000_000;

/** The escape sequence that turns `previous` rows into `next` rows, rewriting only rows that changed. */
export function frameDiff(previous: readonly string[] | null, next: readonly string[], rows: number): string {
  let out = previous === null ? '\x1b[?25l\x1b[H\x1b[2J' : '';
  const count = Math.min(rows, Math.max(next.length, previous?.length ?? 0));
  for (let row = 0; row < count; row++) {
    const line = next[row] ?? '';
    if (previous !== null && previous[row] === line) continue;
    out += `\x1b[${row + 1};1H${line}\x1b[0m\x1b[K`;
  }
  return out;
}

/**
 * Writes a recording as asciicast v2: frames sampled at event times (at most
 * `fps` per second of run time, none while nothing happens), each written as
 * the rows that changed, and an "m" marker where each phase begins.
 */
export async function writeAsciicast(options: AsciicastOptions): Promise<AsciicastResult> {
  const { timeline, header, renderer, write } = options;
  const size = options.size ?? header.terminal;
  const frameMs = 1000 / (options.fps ?? 10);
  const timestamp = Math.floor(Date.parse(header.startedAt) / 1000);
  write(JSON.stringify({
    version: 2,
    width: size.columns,
    height: size.rows,
    ...(Number.isFinite(timestamp) ? { timestamp } : {}),
    idle_time_limit: options.idleTimeLimit ?? 2,
    title: options.title ?? `${header.scenario.title} — ${header.environment.name}`,
    env: { TERM: 'xterm-256color', SHELL: '/bin/sh' },
  }));
  const markers = timeline.markers.filter((m) => m.isPhaseStart);
  let markerIndex = 0;
  let previous: readonly string[] | null = null;
  let frames = 0;
  let count = 0;
  let state = timeline.stateAfter(0);
  let sample = timeline.openingTime;
  const total = timeline.length;
  const start = sample;

  while (true) {
    const target = timeline.countAt(sample);
    state = target - count > KEYFRAME_EVERY ? timeline.stateAfter(target) : reduceAll(timeline.events.slice(count, target), state);
    count = target;
    const time = round(Math.max(0, sample - start) / 1000);
    while (markerIndex < markers.length && markers[markerIndex]!.t <= sample) {
      const marker = markers[markerIndex++]!;
      write(JSON.stringify([time, 'm', `${marker.phase}: ${marker.title}`]));
    }
    const rows = await renderer.draw(state);
    const data = frameDiff(previous, rows, size.rows);
    if (data !== '') {
      write(JSON.stringify([time, 'o', data]));
      frames++;
    }
    previous = rows;
    if (count >= total) break;
    sample = Math.max(timeline.timeAt(count), sample + frameMs);
  }
  await renderer.close();
  return { frames, markers: markerIndex, duration: round(Math.max(0, sample - start) / 1000) };
}
