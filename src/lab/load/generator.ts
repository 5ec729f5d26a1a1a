import http from 'node:http';
import type { LoadRequest, LoadSample, LoadStatus } from '../protocol';
import { LatencyHistogram } from './histogram';

// The load generator: an open model, as users arrive on the internet. Requests
// are sent on schedule whatever the answers take (the rate does not drop when
// latency rises), and latency is measured from the moment a request was due,
// so a stall is counted rather than hidden. Every second it reports p50, p95,
// p99, answers per second and the error rate a user would see.

const TICK_MS = 2;
const MAX_IN_FLIGHT = 10_000;

/** A running load. */
export interface LoadRun {
  readonly status: () => LoadStatus;
  stop(): void;
  /** Resolves when the load ends (stopped or finished). */
  readonly done: Promise<'finished' | 'stopped'>;
}

/** The rate due at `elapsedMs` into a load, or null once a ramp (or duration) is over. */
export function rateAt(spec: Pick<LoadRequest, 'rate' | 'ramp' | 'durationMs'>, elapsedMs: number): number | null {
  if (spec.durationMs !== undefined && elapsedMs >= spec.durationMs) return null;
  if (spec.ramp) {
    let end = 0;
    for (const stage of spec.ramp) {
      end += stage.durationMs;
      if (elapsedMs < end) return stage.rate;
    }
    return spec.durationMs !== undefined ? (spec.ramp[spec.ramp.length - 1]?.rate ?? null) : null;
  }
  return spec.rate ?? null;
}

/** Starts a load against `host:port`; `onSample` gets one sample per second. */
export function startLoad(spec: LoadRequest, target: { host: string; port: number }, onSample: (sample: LoadSample) => void): LoadRun {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 1024, scheduling: 'lifo' });
  const url = `http://${target.host}:${target.port}${spec.path}`;
  const overall = new LatencyHistogram();
  const window = new LatencyHistogram();
  const startedAt = Date.now();
  const startedMono = performance.now();
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let inFlight = 0;
  let windowSent = 0;
  let windowCompleted = 0;
  let windowErrors = 0;
  let windowStatuses: Record<string, number> = {};
  let due = 0;
  let currentRate = rateAt(spec, 0) ?? 0;
  let last: LoadSample | null = null;
  let isRunning = true;
  let finish: (how: 'finished' | 'stopped') => void = () => {};
  const done = new Promise<'finished' | 'stopped'>((resolve) => {
    finish = resolve;
  });

  const complete = (scheduledAt: number, statusKey: string, isError: boolean) => {
    inFlight -= 1;
    const latency = performance.now() - scheduledAt;
    overall.record(latency);
    window.record(latency);
    completed += 1;
    windowCompleted += 1;
    windowStatuses[statusKey] = (windowStatuses[statusKey] ?? 0) + 1;
    if (isError) {
      errors += 1;
      windowErrors += 1;
    }
  };

  const fire = (scheduledAt: number) => {
    sent += 1;
    windowSent += 1;
    if (inFlight >= MAX_IN_FLIGHT) {
      inFlight += 1;
      complete(scheduledAt, 'dropped', true);
      return;
    }
    inFlight += 1;
    let isDone = false;
    const end = (statusKey: string, isError: boolean) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      complete(scheduledAt, statusKey, isError);
    };
    const outgoing = http.request({ host: target.host, port: target.port, path: spec.path, method: spec.method, agent }, (response) => {
      response.resume();
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        end(String(status), status >= 500 || status === 429 || status === 0);
      });
      response.on('error', () => end('error', true));
    });
    const timer = setTimeout(() => {
      end('timeout', true);
      outgoing.destroy();
    }, spec.timeoutMs);
    outgoing.on('socket', (socket) => socket.setNoDelay(true));
    outgoing.on('error', (error: NodeJS.ErrnoException) => end(error.code ?? 'error', true));
    outgoing.end();
  };

  const scheduler = setInterval(() => {
    const elapsed = performance.now() - startedMono;
    const rate = rateAt(spec, elapsed);
    if (rate === null) {
      stop('finished');
      return;
    }
    currentRate = rate;
    // Requests are due at exact intervals; a late tick sends every request that fell due meanwhile.
    const interval = 1000 / rate;
    while (due <= elapsed) {
      fire(performance.now());
      due += interval;
    }
  }, TICK_MS);

  const sampler = setInterval(() => {
    const sample: LoadSample = {
      ts: Date.now(),
      p50: round(window.percentile(0.5)),
      p95: round(window.percentile(0.95)),
      p99: round(window.percentile(0.99)),
      max: round(window.max),
      rps: windowCompleted,
      sent: windowSent,
      errors: windowErrors,
      errorRate: windowCompleted === 0 ? 0 : windowErrors / windowCompleted,
      inFlight,
      targetRate: currentRate,
      statuses: windowStatuses,
    };
    window.reset();
    windowSent = 0;
    windowCompleted = 0;
    windowErrors = 0;
    windowStatuses = {};
    last = sample;
    onSample(sample);
  }, 1000);

  const status = (): LoadStatus => ({
    isRunning, url, startedAt, sent, completed, errors,
    p50: round(overall.percentile(0.5)), p95: round(overall.percentile(0.95)), p99: round(overall.percentile(0.99)),
    last,
  });

  const stop = (how: 'finished' | 'stopped') => {
    if (!isRunning) return;
    isRunning = false;
    clearInterval(scheduler);
    clearInterval(sampler);
    // Let answers in flight land (bounded by the request timeout) before closing the sockets.
    setTimeout(() => agent.destroy(), spec.timeoutMs).unref();
    finish(how);
  };

  return { status, stop: () => stop('stopped'), done };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
