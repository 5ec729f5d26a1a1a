import net from 'node:net';

// cache and db speak newline-delimited JSON over TCP, like Redis and Postgres
// speak their own protocols: a connection is a real, countable, breakable
// thing, so "too many clients" and a reset connection mean what they mean in
// production. Requests carry an id; answers come back with it.

/** A request line. */
export interface LineRequest {
  readonly id: number;
  readonly op: string;
  readonly [field: string]: unknown;
}

/** An answer line: `value` on success, `error` otherwise. */
export interface LineResponse {
  readonly id: number;
  readonly value?: unknown;
  readonly error?: string;
}

/** Splits a socket's bytes into JSON lines. */
export function onLines(socket: net.Socket, handler: (message: unknown) => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (text: string) => {
    buffered += text;
    let index = buffered.indexOf('\n');
    while (index >= 0) {
      const line = buffered.slice(0, index);
      buffered = buffered.slice(index + 1);
      if (line.trim() !== '') {
        try {
          handler(JSON.parse(line) as unknown);
        } catch {
          socket.destroy(new Error('protocol error: not a JSON line'));
          return;
        }
      }
      index = buffered.indexOf('\n');
    }
  });
}

/** Why an operation failed; `code` is the socket error, ETIMEDOUT, or ESERVER for an error the server answered. */
export class LineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'LineError';
    this.code = code;
  }
}

interface Waiting {
  resolve(value: unknown): void;
  reject(error: LineError): void;
  timer: NodeJS.Timeout;
}

/** One client connection with requests in flight matched by id. */
export class LineConnection {
  private readonly socket: net.Socket;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private closedWith: LineError | undefined;
  /** Resolves once connected; rejects when the connection fails first. */
  readonly ready: Promise<void>;

  constructor(host: string, port: number, connectTimeoutMs: number) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new LineError('ETIMEDOUT', `connect timeout after ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      this.socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.once('close', () => {
        clearTimeout(timer);
        reject(this.closedWith ?? new LineError('ECONNRESET', 'connection closed'));
      });
    });
    this.ready.catch(() => {});
    this.socket.on('error', (error: NodeJS.ErrnoException) => this.fail(new LineError(error.code ?? 'ESOCKET', error.message)));
    this.socket.on('close', () => this.fail(this.closedWith ?? new LineError('ECONNRESET', 'connection closed by server')));
    onLines(this.socket, (message) => {
      const answer = message as LineResponse;
      if (answer.id === 0 && answer.error) {
        // An unsolicited error closes the connection (Postgres' "FATAL: sorry, too many clients already").
        this.fail(new LineError('ESERVER', answer.error));
        return;
      }
      const waiting = this.waiting.get(answer.id);
      if (!waiting) return;
      this.waiting.delete(answer.id);
      clearTimeout(waiting.timer);
      if (answer.error !== undefined) waiting.reject(new LineError('ESERVER', answer.error));
      else waiting.resolve(answer.value);
    });
  }

  get isOpen(): boolean {
    return this.closedWith === undefined;
  }

  get inFlight(): number {
    return this.waiting.size;
  }

  /** Sends one operation; rejects on timeout, server error or a broken connection. */
  send(op: string, fields: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new LineError('ETIMEDOUT', `${op} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      this.socket.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  }

  close(): void {
    this.fail(new LineError('ECLOSED', 'connection closed by client'));
  }

  private fail(error: LineError): void {
    if (!this.closedWith) this.closedWith = error;
    for (const [id, waiting] of this.waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(this.closedWith);
      this.waiting.delete(id);
    }
    this.socket.destroy();
  }
}
