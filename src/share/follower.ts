import WebSocket from 'ws';
import type { DeckEvent } from '../engine/events';
import { createViewStore, type ViewStore } from '../engine/store';
import type { ViewState } from '../engine/view-state';
import { CloseCode, parseServerFrame, PROTOCOL_VERSION, streamUrl, type Role, type ServerFrame } from './protocol';

// A follower of a share: connects to the stream, applies the snapshot and the
// numbered events to its own view store, and on a broken connection
// reconnects saying the last number it applied, so it resumes without
// duplicates or gaps. It only reads; it never writes to the socket.

/** Where a follower's connection is. */
export type FollowerPhase = 'connecting' | 'live' | 'reconnecting' | 'ended' | 'refused' | 'failed';

/** A follower's connection state, for a status line. */
export interface FollowerStatus {
  readonly phase: FollowerPhase;
  readonly role: Role | null;
  /** The last sequence number applied. */
  readonly seq: number;
  readonly epoch: string | null;
  /** Why it is refused or failed, or why the last connection broke. */
  readonly reason?: string;
  readonly reconnects: number;
  /** Reconnects the server resumed from `seq` (the rest started from a snapshot). */
  readonly resumes: number;
  /** Events skipped because they were already applied (only after a resume overlaps). */
  readonly duplicatesSkipped: number;
}

/** How to follow. */
export interface FollowOptions {
  /** The share's URL (`http://HOST:PORT/`, a `?token=` in it is used when `token` is absent). */
  readonly url: string;
  readonly token?: string;
  /** `presenter` opens the notes stream (talking points); refused for the audience token. */
  readonly role?: Role;
  /** The store to feed (default: a new one). */
  readonly store?: ViewStore;
  /** Called with each event as it is applied (after the store), never twice for one sequence number. */
  readonly onEvent?: (event: DeckEvent) => void;
  /** First and largest wait before reconnecting, in ms (default 250 and 5,000). */
  readonly retryMs?: { readonly first: number; readonly max: number };
}

/** A running follower. */
export interface Follower {
  readonly store: ViewStore;
  status(): FollowerStatus;
  subscribeStatus(listener: () => void): () => void;
  /** Resolves on the first snapshot or resumed stream; rejects when refused (401, 403) or failed. */
  readonly ready: Promise<void>;
  /** Breaks the current connection as if the network had (tests; the follower reconnects). */
  interrupt(): void;
  close(): void;
}

/** Splits a follow URL into its base and the token it carries. */
export function parseFollowUrl(text: string): { base: string; token: string | null } {
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new Error(`not a URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`expected an http:// URL, got ${url.protocol}`);
  return { base: `${url.protocol}//${url.host}/`, token: url.searchParams.get('token') };
}

const REFUSALS: Readonly<Record<number, string>> = {
  401: 'the token was refused (401): check the token the presenter shows',
  403: 'this token cannot open the presenter notes (403): use the presenter token',
  404: 'no share at this address (404)',
};

/** Starts following; the store fills as frames arrive. */
export function follow(options: FollowOptions): Follower {
  const { base, token: urlToken } = parseFollowUrl(options.url);
  const token = options.token ?? urlToken;
  if (!token) throw new Error('a token is required: pass --token or a URL with ?token=');
  const store = options.store ?? createViewStore();
  const retry = options.retryMs ?? { first: 250, max: 5_000 };
  const listeners = new Set<() => void>();
  let status: FollowerStatus = { phase: 'connecting', role: null, seq: 0, epoch: null, reconnects: 0, resumes: 0, duplicatesSkipped: 0 };
  let socket: WebSocket | null = null;
  let isClosed = false;
  let delay = retry.first;
  let timer: NodeJS.Timeout | null = null;
  let settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const ready = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => undefined);

  const update = (next: Partial<FollowerStatus>) => {
    status = { ...status, ...next };
    for (const listener of [...listeners]) listener();
  };
  const finish = (phase: 'refused' | 'failed' | 'ended', reason: string) => {
    isClosed = true;
    socket?.terminate();
    update({ phase, reason });
    settle?.reject(new Error(reason));
    settle = null;
  };

  const apply = (frame: ServerFrame): boolean => {
    switch (frame.kind) {
      case 'hello':
        if (frame.protocol !== PROTOCOL_VERSION) {
          finish('failed', `the share speaks protocol ${frame.protocol}; this chaosdeck speaks ${PROTOCOL_VERSION}`);
          return false;
        }
        update({ role: frame.role, epoch: frame.epoch });
        if (frame.isResumed) {
          update({ resumes: status.resumes + 1 });
          live();
        }
        return true;
      case 'snapshot':
        store.reset(frame.state as unknown as ViewState);
        update({ seq: frame.seq });
        live();
        return true;
      case 'events': {
        if (frame.first > status.seq + 1) return false;
        const skip = status.seq + 1 - frame.first;
        for (const event of frame.events.slice(skip)) {
          store.dispatch(event);
          options.onEvent?.(event);
        }
        const last = frame.first + frame.events.length - 1;
        update({ seq: Math.max(status.seq, last), duplicatesSkipped: status.duplicatesSkipped + Math.min(skip, frame.events.length) });
        return true;
      }
    }
  };
  const live = () => {
    delay = retry.first;
    update({ phase: 'live' });
    settle?.resolve();
    settle = null;
  };

  const scheduleReconnect = (reason: string) => {
    if (isClosed || timer) return;
    update({ phase: 'reconnecting', reason });
    timer = setTimeout(() => {
      timer = null;
      update({ reconnects: status.reconnects + 1 });
      connect();
    }, delay);
    delay = Math.min(retry.max, delay * 2);
  };

  const connect = () => {
    const resume = status.epoch ? { epoch: status.epoch, since: status.seq } : undefined;
    const ws = new WebSocket(streamUrl(base, { token, role: options.role, resume }), { perMessageDeflate: false, handshakeTimeout: 10_000 });
    socket = ws;
    ws.on('unexpected-response', (_request, response) => {
      const code = response.statusCode ?? 0;
      response.resume();
      ws.terminate();
      const refusal = REFUSALS[code];
      if (refusal) finish('refused', refusal);
      else scheduleReconnect(`the share answered ${code}`);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary || socket !== ws) return;
      let frame: ServerFrame;
      try {
        frame = parseServerFrame(data.toString());
      } catch (error) {
        finish('failed', `the share sent a frame this follower does not understand: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`);
        return;
      }
      // A gap means a lost frame: reconnect and let the server send what is missing.
      if (!apply(frame) && !isClosed) ws.terminate();
    });
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      if (socket !== ws || isClosed) return;
      socket = null;
      if (code === CloseCode.serverClosing) finish('ended', reason.toString() || 'the presenter stopped sharing');
      else scheduleReconnect(code === CloseCode.tooSlow ? 'fell behind' : 'connection lost');
    });
  };

  connect();
  return {
    store,
    status: () => status,
    subscribeStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready,
    interrupt: () => socket?.terminate(),
    close() {
      if (isClosed) return;
      isClosed = true;
      if (timer) clearTimeout(timer);
      socket?.close();
      update({ phase: 'ended', reason: 'closed' });
    },
  };
}
