import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventSink } from '../engine/events';
import { baseUrl, DEFAULT_BIND, isLoopback, isWildcard, publicHost, type BindAddress } from './address';
import { createShareHub, type HubOptions, type ResumePoint, type ShareHub } from './hub';
import { CloseCode, RoleSchema, STREAM_PATH, type Role } from './protocol';
import type { ShareInfo } from './share-info';
import { terminalQr } from './share-qr';
import { createTokens, roleOfToken, type ShareTokens } from './tokens';
import { builtinWebRoot, loadWebFiles } from './web-root';

// The share server: one HTTP server on loopback by default. `/` serves the
// follower page, `/stream` upgrades to a WebSocket that carries the hub's
// frames. Both want a token; the stream refuses anything without one (401),
// the presenter stream refuses the audience token (403), and a full house
// refuses newcomers (503). It is read-only by construction: it holds the hub,
// never the run's controller, and a follower that sends anything is closed.

/** How to start a share. */
export interface ShareServerOptions extends HubOptions {
  readonly bind?: BindAddress;
  readonly tokens?: Partial<ShareTokens>;
  /** Followers at once (default 256); more get 503 until one leaves. */
  readonly maxFollowers?: number;
  /** Where the page's files are (default: web/ in the package). */
  readonly webRoot?: string;
  /** Seconds between pings; a follower that missed one is cut off (default 20). */
  readonly heartbeatSeconds?: number;
}

/** A running share server. */
export interface ShareServer {
  /** Add to the run's sinks. */
  readonly sink: EventSink;
  readonly hub: ShareHub;
  readonly tokens: ShareTokens;
  /** The address bound (port resolved when 0 was asked). */
  readonly address: BindAddress;
  readonly info: ShareInfo;
  /** Set when the server is reachable from the network: the presenter should know. */
  readonly warning: string | null;
  /** Closes every follower and the listener. Safe to call twice. */
  close(): Promise<void>;
}

const PAGE_HEADERS = {
  'cache-control': 'no-store',
  // The token is in the page's URL; it must not leak to anything the page links to.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'",
};

function tokenOf(request: IncomingMessage, url: URL): string | null {
  const header = request.headers.authorization;
  if (header && /^bearer\s+/i.test(header)) return header.replace(/^bearer\s+/i, '').trim();
  return url.searchParams.get('token');
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function resumeOf(url: URL): ResumePoint | undefined {
  const epoch = url.searchParams.get('epoch');
  const since = Number(url.searchParams.get('since'));
  return epoch && Number.isInteger(since) && since >= 0 ? { epoch, since } : undefined;
}

/** Starts a share server; resolves once it listens. */
export async function startShareServer(options: ShareServerOptions = {}): Promise<ShareServer> {
  const { bind = DEFAULT_BIND, maxFollowers = 256, heartbeatSeconds = 20 } = options;
  const tokens = createTokens(options.tokens);
  const files = await loadWebFiles(options.webRoot ?? builtinWebRoot());
  const hub = createShareHub(options);
  // Each follower's socket, with whether it answered the last ping.
  const sockets = new Map<WebSocket, { isAlive: boolean }>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false, clientTracking: false });

  /** Why a stream request is refused: no valid token (401), an unknown role (400), the notes view without the presenter token (403). */
  const refusalOf = (request: IncomingMessage, url: URL): { status: number; text: string } | null => {
    const granted = roleOfToken(tokens, tokenOf(request, url));
    if (!granted) return { status: 401, text: 'Unauthorized' };
    const asked = RoleSchema.safeParse(url.searchParams.get('role') ?? granted);
    if (!asked.success) return { status: 400, text: 'Bad Request' };
    if (asked.data === 'presenter' && granted !== 'presenter') return { status: 403, text: 'Forbidden' };
    return null;
  };

  const page = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://share.invalid');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const file = files.get(name);
    if (url.pathname === STREAM_PATH) {
      // The same answers an upgrade gets, so a browser (which cannot read a failed upgrade's status) can ask why.
      const refusal = refusalOf(request, url);
      if (refusal) response.writeHead(refusal.status, { 'content-type': 'text/plain' }).end(`${refusal.text}\n`);
      else response.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' }).end('use a WebSocket\n');
      return;
    }
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    // The page itself reveals nothing, but a page without a token could only fail; say why instead.
    if (name === 'index.html' && roleOfToken(tokens, tokenOf(request, url)) === null) {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', ...PAGE_HEADERS }).end('This deck needs its token: open the link (or scan the QR code) the presenter shows.\n');
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length, ...PAGE_HEADERS });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  };

  const server = createServer(page);
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://share.invalid');
    if (url.pathname !== STREAM_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    const refusal = refusalOf(request, url);
    if (refusal) return refuseUpgrade(socket, refusal.status, refusal.text);
    if (sockets.size >= maxFollowers) return refuseUpgrade(socket, 503, 'Service Unavailable');
    const role = RoleSchema.parse(url.searchParams.get('role') ?? roleOfToken(tokens, tokenOf(request, url)));
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, role, resumeOf(url)));
  });

  const accept = (ws: WebSocket, role: Role, resume: ResumePoint | undefined) => {
    const liveness = { isAlive: true };
    sockets.set(ws, liveness);
    ws.on('pong', () => (liveness.isAlive = true));
    const detach = hub.attach({
      role,
      bufferedBytes: () => ws.bufferedAmount,
      send: (text) => ws.send(text),
      drop: () => ws.terminate(),
    }, resume);
    // Nothing a follower sends goes anywhere: the stream is one-way.
    ws.on('message', () => ws.close(CloseCode.readOnly, 'read-only stream'));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      detach();
      sockets.delete(ws);
    });
  };

  const heartbeat = setInterval(() => {
    for (const [ws, liveness] of sockets) {
      if (!liveness.isAlive) {
        ws.terminate();
        continue;
      }
      liveness.isAlive = false;
      ws.ping();
    }
  }, heartbeatSeconds * 1000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  const address = { host: bind.host, port: bound.port };
  const shownHost = publicHost(bind.host);
  const base = baseUrl(shownHost, address.port);
  const url = `${base}?token=${tokens.audience}`;
  const qr = await terminalQr(url);
  const isLocal = isLoopback(bind.host);
  const info: ShareInfo = {
    url,
    token: tokens.audience,
    presenterToken: tokens.presenter,
    notesCommand: `chaosdeck follow ${base} --notes --token ${tokens.presenter}`,
    bind: `${bind.host}:${address.port}`,
    isLoopback: isLocal,
    ...qr,
  };
  const warning = isLocal ? null : `sharing on ${info.bind}${isWildcard(bind.host) ? ' (every interface)' : ''}: anyone on this network with the token can watch the run`;

  let closing: Promise<void> | null = null;
  return {
    sink: (event) => hub.publish(event),
    hub,
    tokens,
    address,
    info,
    warning,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        hub.flush();
        for (const ws of sockets.keys()) ws.close(CloseCode.serverClosing, 'the presenter stopped sharing');
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Followers that do not answer the close handshake promptly are cut off.
        const cutoff = setTimeout(() => { for (const ws of sockets.keys()) ws.terminate(); server.closeAllConnections(); }, 1_000);
        await closed;
        clearTimeout(cutoff);
      })();
      return closing;
    },
  };
}
