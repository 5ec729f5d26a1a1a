import http from 'node:http';
import { request } from './http';
import type { LabEvent, LabStatus, LoadRequestInput, LoadStatus, ProxyStatus, ServiceStatus, ToxicStatus } from './protocol';
import type { LabState } from './state-file';

// A client of one running lab: its control API and its fault proxy's
// Toxiproxy API, over loopback with the lab's token. Finding and starting the
// lab is client.ts's job.

/** Why the lab could not be reached or started. */
export class LabUnavailableError extends Error {
  readonly code = 'LAB_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabUnavailableError';
  }
}

/** An error answer of the control API or the fault proxy's API. */
export class LabApiError extends Error {
  readonly code = 'LAB_API_ERROR';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'LabApiError';
    this.status = status;
  }
}

/** A toxic to add through the fault proxy's Toxiproxy API. */
export interface ToxicInput {
  readonly name?: string;
  readonly type: string;
  readonly stream?: 'upstream' | 'downstream';
  readonly toxicity?: number;
  readonly attributes?: Readonly<Record<string, number>>;
}

/** Options for an event subscription. */
export interface SubscribeOptions {
  readonly signal?: AbortSignal;
  /** Called when the stream ends or fails (the lab went away). */
  readonly onEnd?: (error?: Error) => void;
}

/** A client of one running lab. */
export class LabClient {
  readonly state: LabState;
  readonly stateDir: string;

  constructor(state: LabState, stateDir: string) {
    this.state = state;
    this.stateDir = stateDir;
  }

  /** The control API's base URL (for display). */
  get controlUrl(): string {
    return `http://127.0.0.1:${this.state.controlPort}`;
  }

  /** A service's base URL, http://127.0.0.1:PORT. */
  serviceUrl(name: string): string {
    const url = this.state.services[name];
    if (!url) throw new LabApiError(404, `no lab service named ${name}`);
    return url;
  }

  status(): Promise<LabStatus> {
    return this.call('GET', '/status');
  }

  service(name: string): Promise<ServiceStatus> {
    return this.call('GET', `/services/${encodeURIComponent(name)}`);
  }

  /** Stops a service or group (`api`): SIGTERM, no restart. */
  stop(name: string): Promise<ServiceStatus | ServiceStatus[]> {
    return this.call('POST', `/services/${encodeURIComponent(name)}/stop`);
  }

  /** Starts a service or group and resolves when healthy. */
  start(name: string): Promise<ServiceStatus | ServiceStatus[]> {
    return this.call('POST', `/services/${encodeURIComponent(name)}/start`, undefined, 30_000);
  }

  /** Sends a signal; the restart policy decides what follows, as after a crash. */
  kill(name: string, signal = 'SIGKILL'): Promise<ServiceStatus | ServiceStatus[]> {
    return this.call('POST', `/services/${encodeURIComponent(name)}/kill`, { signal });
  }

  /** Restarts; `env` replaces the extra environment (`{}` clears it), omitted keeps it. */
  restart(name: string, env?: Record<string, string>): Promise<ServiceStatus | ServiceStatus[]> {
    return this.call('POST', `/services/${encodeURIComponent(name)}/restart`, env === undefined ? {} : { env }, 30_000);
  }

  chaos(name: string): Promise<{ enabled: boolean; latencyMs: number; errorRate: number }> {
    return this.call('GET', `/services/${encodeURIComponent(name)}/chaos`);
  }

  setChaos(name: string, chaos: { enabled?: boolean; latencyMs?: number; errorRate?: number }): Promise<unknown> {
    return this.call('PUT', `/services/${encodeURIComponent(name)}/chaos`, chaos);
  }

  cpu(name: string): Promise<{ percent: number }> {
    return this.call('GET', `/services/${encodeURIComponent(name)}/cpu`);
  }

  setCpu(name: string, percent: number, durationMs?: number): Promise<unknown> {
    return this.call('PUT', `/services/${encodeURIComponent(name)}/cpu`, { percent, ...(durationMs ? { durationMs } : {}) });
  }

  memory(name: string): Promise<{ heldMb: number; targetMb: number; rssMb: number }> {
    return this.call('GET', `/services/${encodeURIComponent(name)}/memory`);
  }

  setMemory(name: string, mb: number, growMbPerSecond?: number): Promise<unknown> {
    return this.call('PUT', `/services/${encodeURIComponent(name)}/memory`, { mb, ...(growMbPerSecond ? { growMbPerSecond } : {}) });
  }

  setLimits(name: string, limits: { memoryMb?: number; restartPolicy?: 'always' | 'on-failure' | 'never' }): Promise<unknown> {
    return this.call('PUT', `/services/${encodeURIComponent(name)}/limits`, limits);
  }

  async logs(name: string, tail = 200): Promise<{ service: string; ts: number; stream: 'stdout' | 'stderr'; text: string }[]> {
    const answer = await this.call<{ lines: { service: string; ts: number; stream: 'stdout' | 'stderr'; text: string }[] }>('GET', `/services/${encodeURIComponent(name)}/logs?tail=${tail}`);
    return answer.lines;
  }

  /** A service's Prometheus text. */
  async metricsText(name: string): Promise<string> {
    return this.call<string>('GET', `/services/${encodeURIComponent(name)}/metrics`, undefined, 5000, true);
  }

  startLoad(spec: LoadRequestInput): Promise<LoadStatus> {
    return this.call('POST', '/load', spec);
  }

  stopLoad(): Promise<LoadStatus | null> {
    return this.call('DELETE', '/load');
  }

  loadStatus(): Promise<LoadStatus | null> {
    return this.call('GET', '/load');
  }

  /** Asks the supervisor to stop every service and exit. */
  shutdown(): Promise<unknown> {
    return this.call('POST', '/shutdown');
  }

  /** Polls until the supervisor reports every service healthy. */
  async waitUntilReady(timeoutMs = 30_000): Promise<LabStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: LabStatus | undefined;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        last = await this.status();
        if (last.isReady && last.services.every((s) => !s.isWanted || s.health === 'healthy')) return last;
      } catch (error) {
        lastError = error;
      }
      await delay(25);
    }
    const waiting = last?.services.filter((s) => s.health !== 'healthy').map((s) => `${s.name} ${s.state}`).join(', ');
    throw new LabUnavailableError(`the lab was not healthy within ${timeoutMs} ms${waiting ? `: ${waiting}` : ''}${lastError ? ` (${(lastError as Error).message})` : ''}`);
  }

  /**
   * Follows the event stream (GET /events): logs, status changes, latency
   * samples, breaker transitions. Returns a function that closes it.
   */
  subscribe(onEvent: (event: LabEvent) => void, options: SubscribeOptions = {}): () => void {
    let isClosed = false;
    let ended = false;
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      options.onEnd?.(error);
    };
    const outgoing = http.request({
      host: '127.0.0.1', port: this.state.controlPort, path: '/events', method: 'GET',
      headers: { authorization: `Bearer ${this.state.token}`, accept: 'text/event-stream' },
    });
    outgoing.on('response', (incoming) => {
      if (incoming.statusCode !== 200) {
        incoming.resume();
        end(new LabApiError(incoming.statusCode ?? 0, `event stream refused: ${incoming.statusCode}`));
        return;
      }
      incoming.setEncoding('utf8');
      let buffered = '';
      incoming.on('data', (text: string) => {
        buffered += text;
        let index = buffered.indexOf('\n\n');
        while (index >= 0) {
          const block = buffered.slice(0, index);
          buffered = buffered.slice(index + 2);
          for (const line of block.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            try {
              onEvent(JSON.parse(line.slice(6)) as LabEvent);
            } catch {
              // A malformed line is skipped; the stream goes on.
            }
          }
          index = buffered.indexOf('\n\n');
        }
      });
      incoming.on('end', () => end());
      incoming.on('error', (error) => end(isClosed ? undefined : error));
    });
    outgoing.on('error', (error) => end(isClosed ? undefined : error));
    outgoing.end();
    const close = () => {
      isClosed = true;
      outgoing.destroy();
      end();
    };
    options.signal?.addEventListener('abort', close, { once: true });
    return close;
  }

  // The fault proxy speaks Toxiproxy's API, unauthenticated as Toxiproxy is, on loopback.

  async proxies(): Promise<Record<string, ProxyStatus>> {
    return this.proxyCall('GET', '/proxies');
  }

  async setProxyEnabled(proxy: string, enabled: boolean): Promise<ProxyStatus> {
    return this.proxyCall('POST', `/proxies/${encodeURIComponent(proxy)}`, { enabled });
  }

  async toxics(proxy: string): Promise<ToxicStatus[]> {
    return this.proxyCall('GET', `/proxies/${encodeURIComponent(proxy)}/toxics`);
  }

  async addToxic(proxy: string, toxic: ToxicInput): Promise<ToxicStatus> {
    return this.proxyCall('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, toxic);
  }

  async updateToxic(proxy: string, name: string, change: { toxicity?: number; attributes?: Record<string, number> }): Promise<ToxicStatus> {
    return this.proxyCall('POST', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`, change);
  }

  /** Removes a toxic; true when it existed (a missing one is not an error, so undo stays idempotent). */
  async removeToxic(proxy: string, name: string): Promise<boolean> {
    try {
      await this.proxyCall('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`);
      return true;
    } catch (error) {
      if (error instanceof LabApiError && error.status === 404) return false;
      throw error;
    }
  }

  /** Enables every proxy and removes every toxic. */
  async resetProxies(): Promise<void> {
    await this.proxyCall('POST', '/reset');
  }

  private async proxyCall<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(this.state.proxyApi);
    return send<T>({ host: url.hostname, port: Number(url.port), method, path, body, timeoutMs: 5000 });
  }

  private async call<T>(method: string, path: string, body?: unknown, timeoutMs = 10_000, isText = false): Promise<T> {
    return send<T>({ host: '127.0.0.1', port: this.state.controlPort, method, path, body, timeoutMs, token: this.state.token, isText });
  }
}

async function send<T>(spec: { host: string; port: number; method: string; path: string; body?: unknown; timeoutMs: number; token?: string; isText?: boolean }): Promise<T> {
  let answer;
  try {
    answer = await request({
      host: spec.host, port: spec.port, method: spec.method, path: spec.path, timeoutMs: spec.timeoutMs,
      headers: { ...(spec.token ? { authorization: `Bearer ${spec.token}` } : {}), ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    });
  } catch (error) {
    throw new LabUnavailableError(`the lab is not answering on ${spec.host}:${spec.port} (${(error as Error).message})`, { cause: error });
  }
  const text = answer.body.toString('utf8');
  if (answer.status >= 400) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // Not JSON: keep the text.
    }
    throw new LabApiError(answer.status, `${spec.method} ${spec.path}: ${answer.status} ${message}`);
  }
  if (spec.isText) return text as T;
  return (text === '' ? null : JSON.parse(text)) as T;
}


/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
