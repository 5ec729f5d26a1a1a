import { z } from 'zod';
import type { ActionContext, ActionOutcome } from './driver';
import { httpCall, type HttpResult } from './http-request';
import { messageOf } from '../engine/errors';

// Calls to the Toxiproxy HTTP API (and the lab's fault proxy, which speaks the
// same API), each shown to the audience as `METHOD URL BODY` before it runs.

/** `drivers.toxiproxy`. */
export const ToxiproxyConfigSchema = z.looseObject({
  url: z.string().url().default('http://127.0.0.1:8474'),
  timeoutMs: z.number().int().positive().default(5_000),
});
export type ToxiproxyConfig = z.infer<typeof ToxiproxyConfigSchema>;

/** `targets.<name>` for toxiproxy: the proxy that stands in front of the target. */
export const ToxiproxyBindingSchema = z.looseObject({
  driver: z.string(),
  proxy: z.string().min(1),
  /** `downstream` (server → client, the default) or `upstream` (client → server). */
  stream: z.enum(['downstream', 'upstream']).default('downstream'),
  /** Overrides `drivers.toxiproxy.url` for this target. */
  url: z.string().url().optional(),
});
export type ToxiproxyBinding = z.infer<typeof ToxiproxyBindingSchema>;

/** One API call. */
export interface ApiCall {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  /** Reads still run in dry-run. */
  readonly isReadOnly?: boolean;
  /** Statuses that count as success besides 2xx (404 for an idempotent delete). */
  readonly alsoOk?: readonly number[];
}

/** Performs an API call through the context's echo. */
export async function callApi(context: ActionContext, baseUrl: string, timeoutMs: number, call: ApiCall): Promise<{ outcome: ActionOutcome; result?: HttpResult }> {
  const url = `${baseUrl.replace(/\/$/, '')}${call.path}`;
  const handle = context.echo(`${call.method} ${url}${call.body === undefined ? '' : ` ${JSON.stringify(call.body)}`}`);
  if (context.mode !== 'live' && !call.isReadOnly) {
    handle.finish({ isOk: true });
    return { outcome: { isOk: true } };
  }
  try {
    const result = await httpCall({ url, method: call.method, body: call.body, timeoutMs, signal: context.signal });
    const isOk = (result.status >= 200 && result.status < 300) || (call.alsoOk ?? []).includes(result.status);
    const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    if (text) handle.line(isOk ? 'stdout' : 'stderr', text.length > 400 ? `${text.slice(0, 400)}…` : text);
    const error = isOk ? undefined : `HTTP ${result.status}: ${errorText(result.body)}`;
    handle.finish({ isOk, exitCode: result.status, ...(error ? { error } : {}) });
    const output = { status: result.status, headers: result.headers, body: result.body };
    return { outcome: isOk ? { isOk, output } : { isOk, error, output }, result };
  } catch (error) {
    const message = `${call.method} ${url}: ${messageOf(error)}`;
    handle.finish({ isOk: false, exitCode: null, error: message });
    return { outcome: { isOk: false, error: message } };
  }
}

function errorText(body: unknown): string {
  if (body && typeof body === 'object' && 'error' in body) return String((body as { error: unknown }).error);
  return typeof body === 'string' ? body.slice(0, 200) : JSON.stringify(body).slice(0, 200);
}
