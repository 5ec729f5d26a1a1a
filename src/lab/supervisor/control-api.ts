import { timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { z } from 'zod';
import { HttpError, listen, readJson, request, sendError, sendJson, sendText } from '../http';
import {
  ChaosRequestSchema, CpuRequestSchema, KillRequestSchema, LimitsRequestSchema, LoadRequestSchema, MemoryRequestSchema, RestartRequestSchema,
  type LabEvent,
} from '../protocol';
import type { ManagedService } from './managed-service';
import type { Supervisor } from './supervisor';

// The supervisor's control API: HTTP on 127.0.0.1, an ephemeral port, every
// request behind `Authorization: Bearer <token>` (401 otherwise). The deck
// reaches the lab only through this (via client.ts).
//
//   GET    /status                         LabStatus
//   GET    /services/:name                 ServiceStatus
//   POST   /services/:name/stop|start      (name may be a group: api)
//   POST   /services/:name/kill            {signal}
//   POST   /services/:name/restart         {env?}
//   GET|PUT /services/:name/chaos          {enabled?, latencyMs?, errorRate?}
//   PUT    /services/:name/cpu             {percent, durationMs?}
//   PUT    /services/:name/memory          {mb, growMbPerSecond?}
//   PUT    /services/:name/limits          {memoryMb?, restartPolicy?}
//   GET    /services/:name/logs?tail=N
//   GET    /services/:name/metrics         the service's /metrics, relayed
//   GET|POST|DELETE /load                  LoadRequest / LoadStatus
//   GET    /events                         text/event-stream of LabEvent
//   POST   /shutdown

const MAX_SSE_BACKLOG = 4 * 1024 * 1024;

/** Starts the control API; `onShutdown` runs after the answer to POST /shutdown is sent. */
export async function startControlApi(supervisor: Supervisor, token: string, onShutdown: () => void): Promise<{ server: http.Server; port: number }> {
  const expected = Buffer.from(`Bearer ${token}`);
  const isAuthorized = (header: string | undefined) => {
    const given = Buffer.from(header ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const server = http.createServer((incoming, response) => {
    if (!isAuthorized(incoming.headers.authorization)) {
      sendJson(response, 401, { error: 'missing or wrong bearer token', status: 401 }, { 'www-authenticate': 'Bearer' });
      return;
    }
    route(supervisor, incoming, response, onShutdown).catch((error: unknown) => {
      sendError(response, error instanceof RangeError ? new HttpError(404, error.message) : error);
    });
  });
  const port = await listen(server, 0);
  return { server, port };
}

async function route(supervisor: Supervisor, incoming: http.IncomingMessage, response: http.ServerResponse, onShutdown: () => void): Promise<void> {
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
  const method = incoming.method ?? 'GET';
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (method === 'GET' && url.pathname === '/status') return sendJson(response, 200, await supervisor.status());
  if (method === 'GET' && url.pathname === '/events') return streamEvents(supervisor, incoming, response);
  if (method === 'POST' && url.pathname === '/shutdown') {
    sendJson(response, 202, { stopping: true });
    response.on('finish', onShutdown);
    return;
  }
  if (url.pathname === '/load') {
    if (method === 'GET') return sendJson(response, 200, supervisor.loadStatus());
    if (method === 'DELETE') return sendJson(response, 200, supervisor.stopLoad());
    if (method === 'POST') {
      const spec = parse(LoadRequestSchema, await readJson(incoming));
      supervisor.get(spec.service);
      return sendJson(response, 201, supervisor.startLoad(spec));
    }
  }
  if (method === 'GET' && parts[0] === 'services' && parts[1] === 'supervisor' && parts[2] === 'logs') {
    const tail = Math.max(1, Math.min(2000, Number(url.searchParams.get('tail') ?? 200) || 200));
    return sendJson(response, 200, { service: 'supervisor', lines: supervisor.recentLogs('supervisor', tail).map((l) => ({ service: 'supervisor', ...l })) });
  }
  if (parts[0] === 'services' && parts[1] !== undefined) {
    const [, name, verb] = parts;
    const targets = supervisor.resolve(name);
    const single = () => {
      if (targets.length !== 1) throw new HttpError(400, `${name} is a group; name one service`);
      return targets[0] as ManagedService;
    };
    const answer = (status = 200) => sendJson(response, status, targets.length === 1 ? targets[0]?.status() : targets.map((t) => t.status()));
    switch (`${method} ${verb ?? ''}`) {
      case 'GET ':
        return answer();
      case 'POST stop':
        await Promise.all(targets.map((t) => t.stop()));
        return answer();
      case 'POST start':
        await Promise.all(targets.map((t) => t.start()));
        return answer();
      case 'POST kill': {
        const { signal } = parse(KillRequestSchema, await readJson(incoming));
        const delivered = targets.map((t) => t.kill(signal as NodeJS.Signals));
        if (!delivered.some(Boolean)) throw new HttpError(409, `${name} is not running`);
        return answer();
      }
      case 'POST restart': {
        const { env } = parse(RestartRequestSchema, await readJson(incoming));
        await Promise.all(targets.map((t) => t.restart(env)));
        return answer();
      }
      case 'PUT limits': {
        const limits = parse(LimitsRequestSchema, await readJson(incoming));
        for (const target of targets) target.setLimits(limits);
        return answer();
      }
      case 'GET chaos':
        return relay(response, single(), 'GET', '/admin/chaos');
      case 'PUT chaos':
        return relayAll(response, targets, '/admin/chaos', parse(ChaosRequestSchema, await readJson(incoming)));
      case 'GET cpu':
        return relay(response, single(), 'GET', '/admin/cpu');
      case 'PUT cpu':
        return relayAll(response, targets, '/admin/cpu', parse(CpuRequestSchema, await readJson(incoming)));
      case 'GET memory':
        return relay(response, single(), 'GET', '/admin/memory');
      case 'PUT memory':
        return relayAll(response, targets, '/admin/memory', parse(MemoryRequestSchema, await readJson(incoming)));
      case 'GET logs': {
        const tail = Math.max(1, Math.min(2000, Number(url.searchParams.get('tail') ?? 200) || 200));
        return sendJson(response, 200, { service: name, lines: targets.flatMap((t) => supervisor.recentLogs(t.name, tail).map((l) => ({ service: t.name, ...l }))).sort((a, b) => a.ts - b.ts).slice(-tail) });
      }
      case 'GET metrics': {
        const target = single();
        const answered = await request({ host: '127.0.0.1', port: target.status().port, path: '/metrics', timeoutMs: 2000 }).catch((error: Error) => {
          throw new HttpError(503, `${target.name} is not answering: ${error.message}`);
        });
        return sendText(response, answered.status, answered.body.toString('utf8'), String(answered.headers['content-type'] ?? 'text/plain'));
      }
      default:
        break;
    }
  }
  throw new HttpError(404, `no route for ${method} ${url.pathname}`);
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return parsed.data;
}

async function relay(response: http.ServerResponse, target: ManagedService, method: string, path: string, body?: unknown): Promise<void> {
  const status = target.status();
  if (status.state !== 'running') throw new HttpError(409, `${target.name} is ${status.state}`);
  const answered = await request({
    host: '127.0.0.1', port: status.port, path, method, timeoutMs: 3000,
    headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  }).catch((error: Error) => {
    throw new HttpError(503, `${target.name} is not answering: ${error.message}`);
  });
  sendText(response, answered.status, answered.body.toString('utf8'), 'application/json; charset=utf-8');
}

async function relayAll(response: http.ServerResponse, targets: ManagedService[], path: string, body: unknown): Promise<void> {
  if (targets.length === 1) return relay(response, targets[0] as ManagedService, 'PUT', path, body);
  const results = await Promise.all(targets.map(async (target) => {
    const status = target.status();
    const answered = await request({ host: '127.0.0.1', port: status.port, path, method: 'PUT', timeoutMs: 3000, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { service: target.name, ...(JSON.parse(answered.body.toString('utf8')) as object) };
  }));
  sendJson(response, 200, results);
}

function streamEvents(supervisor: Supervisor, incoming: http.IncomingMessage, response: http.ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
  response.socket?.setNoDelay(true);
  let dropped = 0;
  const write = (event: LabEvent) => {
    // A slow reader loses log lines, never state changes.
    if (event.type === 'log' && response.writableLength > MAX_SSE_BACKLOG) {
      dropped += 1;
      return;
    }
    if (dropped > 0 && event.type === 'log') {
      response.write(`data: ${JSON.stringify({ type: 'log', ts: Date.now(), service: 'supervisor', stream: 'stderr', text: `(${dropped} log lines dropped: the event stream reader fell behind)` })}\n\n`);
      dropped = 0;
    }
    response.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  void supervisor.status().then((status) => {
    for (const service of status.services) write({ type: 'status', ts: Date.now(), service });
    for (const breaker of status.breakers) write({ type: 'breaker', ts: breaker.since, service: breaker.service, name: breaker.name, from: breaker.state, to: breaker.state, failureRate: breaker.failureRate });
  });
  const unsubscribe = supervisor.subscribe(write);
  const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
  incoming.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}
