import { randomBytes } from 'node:crypto';
import type { DeckEvent } from '../engine/events';
import { reduce } from '../engine/reducer';
import { createRedactor, redactDeep, type Redactor } from '../engine/redact';
import { initialViewState, type ViewState } from '../engine/view-state';
import { audienceEvent, audienceState } from './audience';
import { PROTOCOL_VERSION, type Role } from './protocol';

// The heart of sharing, apart from any socket: it numbers the run's events,
// keeps the reduced state for late joiners and a window of recent events for
// resuming, and fans batches out to followers. The presenter's side only ever
// appends to an array (`publish`); the numbering, reducing, serialising and
// sending happen on the next turn of the loop, once per batch, and a follower
// whose send buffer is over its bound is dropped instead of waited for.

/** One connected follower, as the hub sees it; the server adapts a WebSocket to this. */
export interface FollowerChannel {
  readonly role: Role;
  /** Bytes queued for this follower and not yet handed to the network. */
  bufferedBytes(): number;
  send(text: string): void;
  /** Disconnects a follower that fell behind; it may reconnect and resume. */
  drop(reason: 'too-slow'): void;
}

/** Where a reconnecting follower left off. */
export interface ResumePoint {
  readonly epoch: string;
  /** The last sequence number it applied. */
  readonly since: number;
}

/** Hub bounds. */
export interface HubOptions {
  /** Events kept for resuming (default 5,000); a follower further behind gets a snapshot. */
  readonly resumeWindow?: number;
  /** Log lines a snapshot carries (default 1,000); live events add to them as usual. */
  readonly snapshotLogLines?: number;
  /** A follower with more than this queued is dropped (default 1 MiB). */
  readonly maxBufferedBytes?: number;
  /** Masks secret shapes once more before anything leaves (the bus already masked the environment's secrets). */
  readonly redact?: Redactor;
}

/** Counters for tests, benches and the deck. */
export interface HubStats {
  readonly followers: number;
  readonly head: number;
  /** Followers dropped for falling behind, since the hub started. */
  readonly dropped: number;
}

/** The share hub. */
export interface ShareHub {
  /** This hub's sequence identity; sequence numbers of another epoch mean nothing here. */
  readonly epoch: string;
  /** The sink on the run's bus: O(1), never throws, never sends. */
  publish(event: DeckEvent): void;
  /** Connects a follower: a hello, then a snapshot or the events it missed, then live batches. */
  attach(channel: FollowerChannel, resume?: ResumePoint): () => void;
  /** Sends what is pending now (tests and close). */
  flush(): void;
  /** The presenter's view of the shared state, as of the last flush. */
  state(): ViewState;
  stats(): HubStats;
}

interface Numbered {
  readonly seq: number;
  readonly event: DeckEvent;
}

/** Creates a hub with its own epoch. */
export function createShareHub({ resumeWindow = 5_000, snapshotLogLines = 1_000, maxBufferedBytes = 1 << 20, redact = createRedactor() }: HubOptions = {}): ShareHub {
  const epoch = randomBytes(6).toString('base64url');
  const followers = new Set<FollowerChannel>();
  let incoming: DeckEvent[] = [];
  let recent: Numbered[] = [];
  let head = 0;
  let state: ViewState = initialViewState;
  let dropped = 0;
  let scheduled: NodeJS.Immediate | null = null;
  const snapshots = new Map<Role, { seq: number; text: string }>();

  const framesOf = (batch: readonly Numbered[]): Record<Role, string> => {
    const first = batch[0]!.seq;
    const events = batch.map((n) => n.event);
    const presenter = JSON.stringify({ kind: 'events', first, events });
    const forAudience = events.map(audienceEvent);
    const isSame = forAudience.every((e, i) => e === events[i]);
    return { presenter, audience: isSame ? presenter : JSON.stringify({ kind: 'events', first, events: forAudience }) };
  };

  const deliver = (channel: FollowerChannel, text: string): boolean => {
    if (channel.bufferedBytes() > maxBufferedBytes) {
      followers.delete(channel);
      dropped++;
      channel.drop('too-slow');
      return false;
    }
    channel.send(text);
    return true;
  };

  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (incoming.length === 0) return;
    const batch: Numbered[] = incoming.map((event) => ({ seq: ++head, event: redactDeep(event, redact) }));
    incoming = [];
    for (const { event } of batch) state = reduce(state, event);
    recent.push(...batch);
    if (recent.length > resumeWindow * 2) recent = recent.slice(recent.length - resumeWindow);
    const frames = framesOf(batch);
    for (const channel of [...followers]) deliver(channel, frames[channel.role]);
  };

  const snapshotText = (role: Role): string => {
    const cached = snapshots.get(role);
    if (cached && cached.seq === head) return cached.text;
    const lines = state.logs.lines;
    const trimmed: ViewState = lines.length > snapshotLogLines
      ? { ...state, logs: { ...state.logs, lines: lines.slice(lines.length - snapshotLogLines), dropped: state.logs.dropped + lines.length - snapshotLogLines } }
      : state;
    const text = JSON.stringify({ kind: 'snapshot', seq: head, state: role === 'presenter' ? trimmed : audienceState(trimmed) });
    snapshots.set(role, { seq: head, text });
    return text;
  };

  const missedSince = (resume: ResumePoint | undefined): Numbered[] | null => {
    if (!resume || resume.epoch !== epoch || resume.since > head || resume.since < 0) return null;
    if (resume.since === head) return [];
    const oldest = recent[0]?.seq ?? head + 1;
    if (resume.since + 1 < oldest) return null;
    return recent.slice(resume.since + 1 - oldest);
  };

  return {
    epoch,
    publish(event) {
      incoming.push(event);
      scheduled ??= setImmediate(flush);
    },
    attach(channel, resume) {
      flush();
      const missed = missedSince(resume);
      channel.send(JSON.stringify({ kind: 'hello', protocol: PROTOCOL_VERSION, role: channel.role, epoch, head, isResumed: missed !== null }));
      if (missed === null) channel.send(snapshotText(channel.role));
      else if (missed.length > 0 && !deliver(channel, framesOf(missed)[channel.role])) return () => undefined;
      followers.add(channel);
      return () => followers.delete(channel);
    },
    flush,
    state: () => state,
    stats: () => ({ followers: followers.size, head, dropped }),
  };
}
