import type http from 'node:http';
import { request, type ResponseData } from '../http';
import { LineConnection, LineError } from '../line-protocol';
import type { Logger } from '../logger';
import type { Address } from '../topology';

// How the api reaches its dependencies, each through the fault proxy: one
// multiplexed cache connection that reconnects with backoff, a db connection
// pool that validates new connections, and a telemetry exporter that never
// lets the collector's health touch a user's request.

/** The cache client: fails fast while disconnected so callers fall back to the db. */
export class CacheClient {
  private connection: LineConnection | undefined;
  private connecting: Promise<LineConnection> | undefined;
  private nextAttemptAt = 0;
  private backoffMs = 100;
  private readonly address: Address;
  private readonly logger: Logger;
  private readonly timeoutMs: number;

  constructor(address: Address, logger: Logger, timeoutMs: number) {
    this.address = address;
    this.logger = logger;
    this.timeoutMs = timeoutMs;
  }

  async get(key: string): Promise<unknown> {
    return (await this.connected()).send('get', { key }, this.timeoutMs);
  }

  async set(key: string, value: unknown, ttlMs: number): Promise<void> {
    await (await this.connected()).send('set', { key, value, ttlMs }, this.timeoutMs);
  }

  close(): void {
    this.connection?.close();
  }

  private async connected(): Promise<LineConnection> {
    if (this.connection?.isOpen) return this.connection;
    if (this.connecting) return this.connecting;
    if (Date.now() < this.nextAttemptAt) throw new LineError('ECONNREFUSED', 'cache unavailable (waiting to reconnect)');
    this.connecting = (async () => {
      const connection = new LineConnection(this.address.host, this.address.port, 250);
      try {
        await connection.ready;
        await connection.send('ping', {}, 250);
        if (this.backoffMs > 100) this.logger.info('cache connection restored');
        this.backoffMs = 100;
        this.connection = connection;
        return connection;
      } catch (error) {
        connection.close();
        this.nextAttemptAt = Date.now() + this.backoffMs;
        this.logger.sampled('cache-connect', 'warn', `cache connection failed (${(error as Error).message}); next attempt in ${this.backoffMs} ms`, 2);
        this.backoffMs = Math.min(this.backoffMs * 2, 2000);
        throw error;
      } finally {
        this.connecting = undefined;
      }
    })();
    return this.connecting;
  }
}

/** Pool sizes, for metrics and /health. */
export interface PoolStats {
  readonly size: number;
  readonly inUse: number;
  readonly idle: number;
  readonly waiting: number;
}

interface Waiter {
  resolve(connection: LineConnection): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** A db connection pool with a fixed maximum, an acquire timeout and a validation query on connect. */
export class DbPool {
  private readonly idle: LineConnection[] = [];
  private inUse = 0;
  private opening = 0;
  private readonly waiters: Waiter[] = [];
  private readonly address: Address;
  readonly size: number;
  private readonly acquireTimeoutMs: number;
  private readonly queryTimeoutMs: number;

  constructor(address: Address, options: { size: number; acquireTimeoutMs: number; queryTimeoutMs: number }) {
    this.address = address;
    this.size = options.size;
    this.acquireTimeoutMs = options.acquireTimeoutMs;
    this.queryTimeoutMs = options.queryTimeoutMs;
  }

  stats(): PoolStats {
    return { size: this.size, inUse: this.inUse, idle: this.idle.length, waiting: this.waiters.length };
  }

  /** Runs one operation on a pooled connection. */
  async query(op: string, fields: Record<string, unknown>): Promise<unknown> {
    const connection = await this.acquire();
    try {
      return await connection.send(op, fields, this.queryTimeoutMs);
    } finally {
      this.release(connection);
    }
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.close();
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('pool closed'));
    }
  }

  private async acquire(): Promise<LineConnection> {
    while (this.idle.length > 0) {
      const connection = this.idle.pop() as LineConnection;
      if (connection.isOpen) {
        this.inUse += 1;
        return connection;
      }
    }
    if (this.inUse + this.opening < this.size) {
      this.opening += 1;
      try {
        const connection = new LineConnection(this.address.host, this.address.port, 500);
        await connection.ready;
        await connection.send('ping', {}, 500);
        this.inUse += 1;
        return connection;
      } finally {
        this.opening -= 1;
      }
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new LineError('EPOOLTIMEOUT', `timeout acquiring a connection: all ${this.size} pool connections in use`));
        }, this.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private release(connection: LineConnection): void {
    const waiter = connection.isOpen ? this.waiters.shift() : undefined;
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(connection);
      return;
    }
    this.inUse -= 1;
    if (connection.isOpen) this.idle.push(connection);
    else if (this.waiters.length > 0) {
      // A broken connection frees a slot: let the next waiter open a fresh one.
      const next = this.waiters.shift() as Waiter;
      clearTimeout(next.timer);
      this.acquire().then(next.resolve, next.reject);
    }
  }
}

/** A backend answer that counts as a failure for retry and breaker. */
export class BackendError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'BackendError';
    this.status = status;
  }
}

/** One GET or POST to the backend with a hard timeout; 5xx answers reject. */
export async function callBackend(address: Address, agent: http.Agent, path: string, timeoutMs: number, body?: unknown): Promise<ResponseData> {
  const response = await request({
    host: address.host, port: address.port, path, agent, timeoutMs,
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 500) throw new BackendError(response.status, `backend answered ${response.status}`);
  return response;
}

/** Pushes a telemetry batch every second; failures are counted and logged as warnings, never raised. */
export function startTelemetryExporter(address: Address | undefined, service: string, logger: Logger, read: () => { requests: number; errors: number }, onFailure: () => void): () => void {
  if (!address) return () => {};
  let isSending = false;
  const timer = setInterval(() => {
    if (isSending) return;
    isSending = true;
    const batch = { service, ...read(), ts: Date.now() };
    request({ host: address.host, port: address.port, path: '/v1/telemetry', method: 'POST', timeoutMs: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) })
      .then((response) => {
        if (response.status >= 300) throw new Error(`collector answered ${response.status}`);
      })
      .catch((error: Error) => {
        onFailure();
        logger.sampled('telemetry', 'warn', `Failed to export telemetry to collector: ${error.message} (batch dropped, requests unaffected)`, 1);
      })
      .finally(() => {
        isSending = false;
      });
  }, 1000);
  timer.unref();
  return () => clearInterval(timer);
}
