import net from 'node:net';
import { Link } from './link';
import type { Toxic } from './toxics';

// One Toxiproxy proxy: listens on `listen`, dials `upstream` for each client,
// and pumps both directions through the toxics of that direction. Disabling it
// closes the listener and every connection, like Toxiproxy's `enabled: false`.

/** A proxy as the API shows it. */
export interface ProxyView {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
  readonly toxics: readonly Toxic[];
}

interface Connection {
  readonly client: net.Socket;
  readonly upstream: net.Socket;
  readonly links: Link[];
}

/** Counters for the proxy's metrics. */
export interface ProxyCounters {
  accepted: number;
  upstreamFailures: number;
  bytesUp: number;
  bytesDown: number;
}

/** Splits `host:port`; a bare port means 127.0.0.1. */
export function parseHostPort(value: string): { host: string; port: number } {
  const index = value.lastIndexOf(':');
  const host = index > 0 ? value.slice(0, index) : '127.0.0.1';
  const port = Number(index >= 0 ? value.slice(index + 1) : value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`not a host:port: ${value}`);
  return { host: host === 'localhost' || host === '' ? '127.0.0.1' : host, port };
}

/** A TCP proxy with toxics. */
export class FaultProxy {
  readonly name: string;
  listen: string;
  upstream: string;
  private toxicList: Toxic[] = [];
  private server: net.Server | undefined;
  private readonly connections = new Set<Connection>();
  readonly counters: ProxyCounters = { accepted: 0, upstreamFailures: 0, bytesUp: 0, bytesDown: 0 };
  private readonly onUpstreamError: (proxy: string, error: Error) => void;

  constructor(name: string, listen: string, upstream: string, onUpstreamError: (proxy: string, error: Error) => void = () => {}) {
    this.name = name;
    this.listen = listen;
    this.upstream = upstream;
    this.onUpstreamError = onUpstreamError;
  }

  get enabled(): boolean {
    return this.server !== undefined;
  }

  get toxics(): readonly Toxic[] {
    return this.toxicList;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  view(): ProxyView {
    return { name: this.name, listen: this.listen, upstream: this.upstream, enabled: this.enabled, toxics: [...this.toxicList] };
  }

  /** Starts listening; resolves with the bound address (the port is filled in when 0 was asked). */
  async start(): Promise<void> {
    if (this.server) return;
    const { host, port } = parseHostPort(this.listen);
    const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address && typeof address === 'object') this.listen = `${host}:${address.port}`;
    this.server = server;
  }

  /** Stops listening and closes every connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const connection of this.connections) this.drop(connection, 'destroy');
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setToxics(toxics: Toxic[]): void {
    this.toxicList = toxics;
    for (const connection of this.connections) for (const link of connection.links) link.refresh();
  }

  private accept(client: net.Socket): void {
    this.counters.accepted += 1;
    client.pause();
    const { host, port } = parseHostPort(this.upstream);
    const upstream = net.connect({ host, port, noDelay: true, allowHalfOpen: true });
    const connection: Connection = { client, upstream, links: [] };
    this.connections.add(connection);
    const onError = () => this.drop(connection, 'destroy');
    client.on('error', onError);
    upstream.on('error', (error) => {
      if (connection.links.length === 0) {
        this.counters.upstreamFailures += 1;
        this.onUpstreamError(this.name, error);
      }
      this.drop(connection, 'destroy');
    });
    client.on('close', () => this.drop(connection, 'destroy'));
    upstream.on('close', () => this.drop(connection, 'destroy'));
    upstream.once('connect', () => {
      const close = (how: 'end' | 'reset' | 'destroy') => this.drop(connection, how);
      const up = new Link(client, upstream, () => this.toxicList.filter((t) => t.stream === 'upstream'), (how) => (how === 'end' ? upstream.end() : close(how)));
      const down = new Link(upstream, client, () => this.toxicList.filter((t) => t.stream === 'downstream'), (how) => (how === 'end' ? client.end() : close(how)));
      connection.links.push(up, down);
      client.on('data', (chunk: Buffer) => { this.counters.bytesUp += chunk.length; });
      upstream.on('data', (chunk: Buffer) => { this.counters.bytesDown += chunk.length; });
      client.resume();
    });
  }

  private drop(connection: Connection, how: 'reset' | 'destroy' | 'end'): void {
    if (!this.connections.delete(connection)) return;
    for (const link of connection.links) link.dispose();
    if (how === 'reset') {
      resetOrDestroy(connection.client);
      resetOrDestroy(connection.upstream);
      return;
    }
    connection.client.destroy();
    connection.upstream.destroy();
  }
}

// A TCP RST where the socket allows it (reset_peer), a plain close otherwise.
function resetOrDestroy(socket: net.Socket): void {
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
