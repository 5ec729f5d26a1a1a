import http from 'node:http';

// Small HTTP helpers every lab process shares: JSON bodies in and out, and one
// request function with a hard deadline over a keep-alive agent. Node's own
// http module keeps the lab free of dependencies and fast enough for 1,000
// requests a second through four hops on two cores.

/** A JSON error with an HTTP status, thrown by handlers and turned into a response. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

/** Reads a request body as text, refusing more than `limit` bytes. */
export function readBody(request: http.IncomingMessage, limit = 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, 'request body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Reads a JSON body; an empty body is `{}`. */
export async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

/** Sends a JSON response. */
export function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Sends plain text. */
export function sendText(response: http.ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Answers a thrown error: its status for an HttpError, 500 otherwise. */
export function sendError(response: http.ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const status = error instanceof HttpError ? error.status : 500;
  const message = error instanceof Error ? error.message : String(error);
  sendJson(response, status, { error: message, status });
}

/** One outgoing request. */
export interface RequestSpec {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly method?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  readonly body?: string | Buffer;
  /** The whole exchange must finish within this; the socket is destroyed otherwise. */
  readonly timeoutMs: number;
  readonly agent?: http.Agent | false;
  readonly signal?: AbortSignal;
}

/** A response read in full. */
export interface ResponseData {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Why a request failed before a response arrived; `code` is the socket error code or `ETIMEDOUT`. */
export class RequestError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestError';
    this.code = code;
  }
}

/** Sends a request and reads the whole response, or rejects with a RequestError. */
export function request(spec: RequestSpec): Promise<ResponseData> {
  return new Promise((resolve, reject) => {
    let isSettled = false;
    const settle = (error: RequestError | null, data?: ResponseData) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(data as ResponseData);
    };
    const headers: http.OutgoingHttpHeaders = { ...spec.headers };
    if (spec.body !== undefined) headers['content-length'] = Buffer.byteLength(spec.body);
    const outgoing = http.request({
      host: spec.host, port: spec.port, path: spec.path, method: spec.method ?? 'GET', headers,
      agent: spec.agent ?? false,
    });
    const timer = setTimeout(() => {
      settle(new RequestError('ETIMEDOUT', `timeout after ${spec.timeoutMs} ms`));
      outgoing.destroy();
    }, spec.timeoutMs);
    const onAbort = () => {
      settle(new RequestError('ABORTED', 'request aborted'));
      outgoing.destroy();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.on('socket', (socket) => socket.setNoDelay(true));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      settle(new RequestError(error.code ?? 'EREQUEST', error.message, { cause: error }));
    });
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => settle(null, { status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks) }));
      incoming.on('error', (error: NodeJS.ErrnoException) => settle(new RequestError(error.code ?? 'ERESPONSE', error.message, { cause: error })));
      incoming.on('aborted', () => settle(new RequestError('ECONNRESET', 'response aborted')));
    });
    outgoing.end(spec.body);
  });
}

/** A keep-alive agent for one downstream. */
export function keepAliveAgent(maxSockets = 256): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo', timeout: 15_000 });
}

/** Listens on 127.0.0.1 and resolves with the port. */
export function listen(server: { listen(port: number, host: string, cb: () => void): unknown; once(event: 'error', cb: (e: Error) => void): unknown; address(): unknown }, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null && 'port' in address ? Number((address as { port: number }).port) : port);
    });
  });
}
