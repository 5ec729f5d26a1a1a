import { z } from 'zod';
import { DeckEventSchema } from '../engine/events';
import type { ViewState } from '../engine/view-state';

// The follow protocol: JSON text frames from the share server to a follower,
// never the other way (a follower sends nothing; the server closes a socket
// that tries). Every event carries a sequence number, so a reconnecting
// follower says the last one it applied and gets exactly what it missed.

/** Bumped when a frame changes shape; a follower refuses a server it does not speak. */
export const PROTOCOL_VERSION = 1;

/** The path of the WebSocket stream; the page is served at `/`. */
export const STREAM_PATH = '/stream';

/** Who a stream is for: the audience never sees talking points; the presenter token's stream keeps them. */
export const RoleSchema = z.enum(['audience', 'presenter']);
export type Role = z.infer<typeof RoleSchema>;

/** Close codes a follower acts on (4000–4999 are the application's range). */
export const CloseCode = {
  /** The follower fell too far behind; it may reconnect and resume. */
  tooSlow: 4001,
  /** The follower sent something; the stream is read-only. */
  readOnly: 4003,
  /** The presenter ended sharing. */
  serverClosing: 4010,
} as const;

const Hello = z.object({
  kind: z.literal('hello'),
  protocol: z.number().int(),
  role: RoleSchema,
  /** Identifies this server's sequence; a different epoch means the numbers started over. */
  epoch: z.string(),
  /** The sequence number of the newest event on the server when this follower joined. */
  head: z.number().int().nonnegative(),
  /** Whether the follower resumes from its own `since` (events follow) or starts from a snapshot. */
  isResumed: z.boolean(),
});

// The view state is the reducer's own JSON-safe shape; a follower checks the
// parts it indexes and trusts the reducer's shape for the rest.
const SnapshotState = z.looseObject({
  run: z.looseObject({ scenario: z.looseObject({ steps: z.array(z.looseObject({ say: z.array(z.string()) })) }) }).nullable(),
  status: z.string(),
  currentStep: z.number().int(),
  steps: z.array(z.unknown()),
  logs: z.looseObject({ lines: z.array(z.unknown()), dropped: z.number(), total: z.number() }),
  t: z.number(),
});

const Snapshot = z.object({
  kind: z.literal('snapshot'),
  /** The state after the event with this sequence number. */
  seq: z.number().int().nonnegative(),
  state: SnapshotState,
});

const Events = z.object({
  kind: z.literal('events'),
  /** The sequence number of `events[0]`; the rest follow one by one. */
  first: z.number().int().positive(),
  events: z.array(DeckEventSchema).min(1),
});

/** Every frame a share server sends. */
export const ServerFrameSchema = z.discriminatedUnion('kind', [Hello, Snapshot, Events]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** A snapshot frame as the server builds it (the schema above is the follower's loose check). */
export interface SnapshotFrame {
  readonly kind: 'snapshot';
  readonly seq: number;
  readonly state: ViewState;
}

/** Parses one frame's text; throws a ZodError or SyntaxError on anything else. */
export function parseServerFrame(text: string): ServerFrame {
  return ServerFrameSchema.parse(JSON.parse(text));
}

/** The query a follower connects with. */
export interface StreamQuery {
  readonly token: string;
  /** Ask for the presenter's stream (the notes view); refused for the audience token. */
  readonly role?: Role;
  /** Resume after this sequence number of this epoch. */
  readonly resume?: { readonly epoch: string; readonly since: number };
}

/** The stream URL for a server's base URL (`http://host:port/…`). */
export function streamUrl(base: string, query: StreamQuery): string {
  const url = new URL(STREAM_PATH, base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('token', query.token);
  if (query.role) url.searchParams.set('role', query.role);
  if (query.resume) {
    url.searchParams.set('epoch', query.resume.epoch);
    url.searchParams.set('since', String(query.resume.since));
  }
  return url.toString();
}
