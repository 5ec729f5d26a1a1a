import net from 'node:net';
import { listen } from '../http';
import { onLines, type LineRequest } from '../line-protocol';

// The server side of the line protocol, shared by cache and db: accepts or
// refuses each connection, answers each request by id, and can run one
// request at a time per connection (as a Postgres backend does) or many.

/** How a line server treats its connections. */
export interface LineServerOptions {
  readonly port: number;
  /** Returns a refusal message to close a new connection with, or null to accept it. */
  readonly admit: (activeConnections: number) => string | null;
  readonly handle: (request: LineRequest) => Promise<unknown>;
  /** One request at a time per connection when true. */
  readonly isSequential: boolean;
  readonly onConnectionsChanged?: (active: number) => void;
}

/** A running line server. */
export interface LineServer {
  readonly port: number;
  readonly activeConnections: number;
  close(): Promise<void>;
}

/** Starts a line server on 127.0.0.1. */
export async function startLineServer(options: LineServerOptions): Promise<LineServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    const refusal = options.admit(sockets.size);
    if (refusal) {
      socket.end(`${JSON.stringify({ id: 0, error: refusal })}\n`);
      return;
    }
    sockets.add(socket);
    options.onConnectionsChanged?.(sockets.size);
    socket.on('close', () => {
      sockets.delete(socket);
      options.onConnectionsChanged?.(sockets.size);
    });
    let chain: Promise<void> = Promise.resolve();
    const answer = async (message: unknown) => {
      const request = message as LineRequest;
      try {
        const value = await options.handle(request);
        if (!socket.destroyed) socket.write(`${JSON.stringify({ id: request.id, value: value ?? null })}\n`);
      } catch (error) {
        if (!socket.destroyed) socket.write(`${JSON.stringify({ id: request.id, error: error instanceof Error ? error.message : String(error) })}\n`);
      }
    };
    onLines(socket, (message) => {
      if (options.isSequential) chain = chain.then(() => answer(message));
      else void answer(message);
    });
  });
  const port = await listen(server, options.port);
  return {
    port,
    get activeConnections() {
      return sockets.size;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
