import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

// One HTTP call with a deadline, for the `http` verb and probes: no shell, no
// curl, the status, headers and body returned whatever the status is.

/** An HTTP call's result, in the shape Chaos Toolkit's http provider returns. */
export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly durationMs: number;
}

/** Options of one call. */
export interface HttpCall {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean>>;
  readonly timeoutMs?: number;
  readonly verifyTls?: boolean;
  readonly signal?: AbortSignal;
}

/** Performs the call; rejects only on network errors, timeouts and aborts. */
export function httpCall(call: HttpCall): Promise<HttpResult> {
  const url = new URL(call.url);
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...call.headers };
  let payload: string | undefined;
  if (call.body !== undefined && call.body !== null) {
    const isJson = typeof call.body === 'object' || /json/i.test(headers['content-type'] ?? headers['Content-Type'] ?? '');
    payload = typeof call.body === 'string' ? call.body : isJson ? JSON.stringify(call.body) : String(call.body);
    if (isJson && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  const started = performance.now();
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: (call.method ?? 'GET').toUpperCase(),
      headers,
      signal: call.signal,
      timeout: call.timeoutMs ?? 10_000,
      ...(url.protocol === 'https:' ? { rejectUnauthorized: call.verifyTls !== false } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const isJson = /json/i.test(String(res.headers['content-type'] ?? ''));
        let body: unknown = text;
        if (isJson) {
          try {
            body = JSON.parse(text);
          } catch {
            body = text;
          }
        }
        const flat: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: flat, body, durationMs: performance.now() - started });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${call.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
