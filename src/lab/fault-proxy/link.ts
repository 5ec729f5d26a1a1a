import type { Socket } from 'node:net';
import type { Toxic } from './toxics';

// One direction of one proxied connection: bytes read from `source` are
// written to `target` through the toxics currently set on the proxy for this
// direction. Toxics can come and go while the connection lives, as in
// Toxiproxy. With no toxic and nothing queued a chunk is written straight
// through, so an idle proxy costs next to nothing.

interface Pending {
  readonly chunk: Buffer;
  readonly at: number;
}

interface ToxicState {
  readonly toxic: Toxic;
  readonly isActive: boolean;
  timer?: NodeJS.Timeout;
  bytes: number;
}

const MAX_QUEUED_CHUNKS = 64;

/** Pumps one direction of a connection through the toxics. */
export class Link {
  private readonly source: Socket;
  private readonly target: Socket;
  private readonly getToxics: () => readonly Toxic[];
  private readonly onClose: (how: 'end' | 'reset' | 'destroy') => void;
  private readonly queue: Pending[] = [];
  private readonly states = new Map<string, ToxicState>();
  private isPumping = false;
  private isEnded = false;
  private isClosed = false;
  private wake: (() => void) | undefined;

  constructor(source: Socket, target: Socket, getToxics: () => readonly Toxic[], onClose: (how: 'end' | 'reset' | 'destroy') => void) {
    this.source = source;
    this.target = target;
    this.getToxics = getToxics;
    this.onClose = onClose;
    this.refresh();
    source.on('data', (chunk: Buffer) => this.onData(chunk));
    source.on('end', () => this.onEnd());
    // The peer may have sent its FIN before this link existed (the upstream was still connecting).
    if (source.readableEnded) queueMicrotask(() => this.onEnd());
    target.on('drain', () => this.source.resume());
  }

  /** Re-reads the proxy's toxics: starts timers of new ones, forgets removed ones, and lets held data move. */
  refresh(): void {
    const current = new Map(this.getToxics().map((t) => [t.name, t]));
    for (const [name, state] of this.states) {
      const toxic = current.get(name);
      if (!toxic || toxic.type !== state.toxic.type || toxic.attributes !== state.toxic.attributes) {
        if (state.timer) clearTimeout(state.timer);
        this.states.delete(name);
      }
    }
    for (const toxic of current.values()) {
      if (this.states.has(toxic.name)) continue;
      const state: ToxicState = { toxic, isActive: Math.random() < toxic.toxicity, bytes: 0 };
      this.states.set(toxic.name, state);
      if (state.isActive) this.arm(state);
    }
    this.wake?.();
    if (!this.isPumping && this.queue.length > 0) void this.pump();
  }

  /** Stops every timer; called when the connection is gone. */
  dispose(): void {
    this.isClosed = true;
    for (const state of this.states.values()) if (state.timer) clearTimeout(state.timer);
    this.wake?.();
  }

  private active(): ToxicState[] {
    const list: ToxicState[] = [];
    for (const state of this.states.values()) if (state.isActive) list.push(state);
    return list;
  }

  private arm(state: ToxicState): void {
    const { type, attributes } = state.toxic;
    const timeout = attributes.timeout ?? 0;
    if (type === 'timeout' && timeout > 0) state.timer = setTimeout(() => this.close('destroy'), timeout);
    if (type === 'reset_peer') state.timer = setTimeout(() => this.close('reset'), timeout);
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    if (!this.isPumping && this.queue.length === 0 && this.active().length === 0) {
      if (!this.target.write(chunk)) this.source.pause();
      return;
    }
    this.queue.push({ chunk, at: performance.now() });
    if (this.queue.length >= MAX_QUEUED_CHUNKS) this.source.pause();
    if (!this.isPumping) void this.pump();
  }

  private onEnd(): void {
    this.isEnded = true;
    if (!this.isPumping && this.queue.length === 0) void this.finish();
  }

  private async finish(): Promise<void> {
    const slowClose = this.active().find((s) => s.toxic.type === 'slow_close');
    if (slowClose) await this.sleep(slowClose.toxic.attributes.delay ?? 0);
    if (!this.isClosed) this.close('end');
  }

  private close(how: 'end' | 'reset' | 'destroy'): void {
    if (this.isClosed) return;
    this.dispose();
    this.onClose(how);
  }

  /** Waits `ms`; resolves false when cut short by a change of toxics or the end of the connection. */
  private sleep(ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(true);
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(false);
      };
    });
  }

  private async pump(): Promise<void> {
    this.isPumping = true;
    try {
      while (this.queue.length > 0 && !this.isClosed) {
        const item = this.queue[0] as Pending;
        const isDelivered = await this.deliver(item);
        if (!isDelivered) continue;
        this.queue.shift();
        if (this.queue.length < MAX_QUEUED_CHUNKS / 2 && !this.target.writableNeedDrain) this.source.resume();
      }
    } finally {
      this.isPumping = false;
    }
    if (this.isEnded && !this.isClosed) await this.finish();
  }

  // Runs one chunk through the active toxics in the order they were added.
  // Returns false when the chunk must be looked at again (a toxic changed while it waited).
  private async deliver(item: Pending): Promise<boolean> {
    const toxics = this.active();
    if (toxics.some((s) => s.toxic.type === 'timeout')) {
      // Toxiproxy's timeout toxic: data stops (and is dropped) until the toxic goes away or the timer closes the connection.
      this.queue.shift();
      return false;
    }
    let pieces: Buffer[] = [item.chunk];
    let sliceDelayMs = 0;
    let closeAfter = false;
    for (const state of toxics) {
      const a = state.toxic.attributes;
      switch (state.toxic.type) {
        case 'latency': {
          const jitter = a.jitter ? (Math.random() * 2 - 1) * a.jitter : 0;
          const due = item.at + Math.max(0, (a.latency ?? 0) + jitter);
          const wait = due - performance.now();
          // Woken early means the toxics changed: look at the chunk again (its due time is kept, so no wait is paid twice).
          if (wait > 0 && !(await this.sleep(wait))) return this.isClosed;
          break;
        }
        case 'bandwidth': {
          const rate = a.rate ?? 0;
          if (rate > 0) await this.sleep((pieces.reduce((n, p) => n + p.length, 0) / (rate * 1024)) * 1000);
          break;
        }
        case 'slicer':
          pieces = pieces.flatMap((p) => slice(p, a.average_size ?? 0, a.size_variation ?? 0));
          sliceDelayMs = (a.delay ?? 0) / 1000;
          break;
        case 'limit_data': {
          const limit = a.bytes ?? 0;
          const kept: Buffer[] = [];
          for (const piece of pieces) {
            const room = limit - state.bytes;
            if (room <= 0) { closeAfter = true; break; }
            const part = piece.length > room ? piece.subarray(0, room) : piece;
            state.bytes += part.length;
            kept.push(part);
            if (state.bytes >= limit) { closeAfter = true; break; }
          }
          pieces = kept;
          break;
        }
        default:
          break;
      }
      if (this.isClosed) return true;
    }
    for (let i = 0; i < pieces.length; i += 1) {
      if (i > 0 && sliceDelayMs > 0) await this.sleep(sliceDelayMs);
      if (this.isClosed) return true;
      this.target.write(pieces[i] as Buffer);
    }
    if (closeAfter) this.close('destroy');
    return true;
  }
}

function slice(chunk: Buffer, averageSize: number, variation: number): Buffer[] {
  if (averageSize <= 0 || chunk.length <= averageSize) return [chunk];
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < chunk.length) {
    const size = Math.max(1, averageSize + Math.round((Math.random() * 2 - 1) * variation));
    parts.push(chunk.subarray(offset, offset + size));
    offset += size;
  }
  return parts;
}
