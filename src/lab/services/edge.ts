import type http from 'node:http';
import { envNumber } from '../env';
import { keepAliveAgent, readBody, request, RequestError, sendJson, type ResponseData } from '../http';
import { prom } from '../metrics';
import type { Address } from '../topology';
import type { ServiceContext, ServiceImpl } from './common';

// edge: the shop's front door, an HTTP load balancer in the manner of nginx
// and Envoy. Round robin over the healthy api instances; an active health
// check every second; passive ejection on a connection failure (the request is
// retried once on the other instance, like proxy_next_upstream), or after
// consecutive gateway errors; a token-bucket rate limit; 503 when no instance
// is healthy, 502 when the chosen one fails.

interface Upstream {
  readonly name: string;
  readonly address: Address;
  readonly agent: http.Agent;
  isHealthy: boolean;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  consecutive5xx: number;
  reason: string;
  changedAt: number;
}

const RESERVED = new Set(['/health', '/metrics']);

/** Creates the edge service. */
export async function createEdge(context: ServiceContext): Promise<ServiceImpl> {
  const { logger, env, config, metrics } = context;
  const settings = {
    healthIntervalMs: envNumber(env, 'EDGE_HEALTH_INTERVAL_MS', 1000),
    healthTimeoutMs: envNumber(env, 'EDGE_HEALTH_TIMEOUT_MS', 500),
    unhealthyThreshold: envNumber(env, 'EDGE_UNHEALTHY_THRESHOLD', 2),
    healthyThreshold: envNumber(env, 'EDGE_HEALTHY_THRESHOLD', 1),
    consecutive5xx: envNumber(env, 'EDGE_EJECT_CONSECUTIVE_5XX', 5),
    upstreamTimeoutMs: envNumber(env, 'EDGE_UPSTREAM_TIMEOUT_MS', 5000),
    rateLimitRps: envNumber(env, 'EDGE_RATE_LIMIT_RPS', 2000),
  };
  const upstreams: Upstream[] = (['api-1', 'api-2'] as const).flatMap((name) => {
    const address = config.links[name];
    return address ? [{ name, address, agent: keepAliveAgent(256), isHealthy: true, consecutiveFailures: 0, consecutiveSuccesses: 0, consecutive5xx: 0, reason: 'initial', changedAt: Date.now() }] : [];
  });
  const registers = [metrics.registry];
  new prom.Gauge({
    name: 'edge_upstream_healthy', help: 'Whether the edge sends traffic to an upstream (1) or has ejected it (0).', labelNames: ['upstream'] as const, registers,
    collect() { for (const u of upstreams) this.set({ upstream: u.name }, u.isHealthy ? 1 : 0); },
  });
  const ejections = new prom.Counter({ name: 'edge_upstream_ejections_total', help: 'Upstreams taken out of rotation, by cause.', labelNames: ['upstream', 'cause'] as const, registers });
  const limited = new prom.Counter({ name: 'edge_rate_limited_requests_total', help: 'Requests refused with 429 by the rate limit.', registers });
  const proxied = new prom.Counter({ name: 'edge_upstream_requests_total', help: 'Requests sent upstream, by upstream and outcome.', labelNames: ['upstream', 'outcome'] as const, registers });

  const setHealth = (upstream: Upstream, isHealthy: boolean, reason: string, cause: string) => {
    if (upstream.isHealthy === isHealthy) return;
    upstream.isHealthy = isHealthy;
    upstream.reason = reason;
    upstream.changedAt = Date.now();
    upstream.consecutiveFailures = 0;
    upstream.consecutiveSuccesses = 0;
    upstream.consecutive5xx = 0;
    if (!isHealthy) ejections.inc({ upstream: upstream.name, cause });
    const healthyCount = upstreams.filter((u) => u.isHealthy).length;
    if (isHealthy) logger.info(`upstream ${upstream.name} is healthy again (${reason}); ${healthyCount}/${upstreams.length} in rotation`);
    else logger.warn(`upstream ${upstream.name} ejected: ${reason}; ${healthyCount}/${upstreams.length} in rotation`);
    context.emit({ kind: 'upstream', name: upstream.name, isHealthy, reason });
  };

  let isChecking = false;
  const check = async () => {
    if (isChecking) return;
    isChecking = true;
    await Promise.all(upstreams.map(async (upstream) => {
      try {
        const response = await request({ host: upstream.address.host, port: upstream.address.port, path: '/health', timeoutMs: settings.healthTimeoutMs });
        if (response.status !== 200) throw new Error(`health check answered ${response.status}`);
        upstream.consecutiveFailures = 0;
        upstream.consecutiveSuccesses += 1;
        if (!upstream.isHealthy && upstream.consecutiveSuccesses >= settings.healthyThreshold) setHealth(upstream, true, 'health check passed', 'health');
      } catch (error) {
        upstream.consecutiveSuccesses = 0;
        upstream.consecutiveFailures += 1;
        if (upstream.isHealthy && upstream.consecutiveFailures >= settings.unhealthyThreshold) {
          setHealth(upstream, false, `health check failed ${upstream.consecutiveFailures} times: ${(error as Error).message}`, 'health_check');
        }
      }
    }));
    isChecking = false;
  };
  const healthTimer = setInterval(() => void check(), settings.healthIntervalMs);

  let tokens = settings.rateLimitRps;
  let refilledAt = performance.now();
  const takeToken = () => {
    const now = performance.now();
    tokens = Math.min(settings.rateLimitRps, tokens + ((now - refilledAt) / 1000) * settings.rateLimitRps);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  let nextIndex = 0;
  const pick = (exclude?: Upstream): Upstream | undefined => {
    for (let i = 0; i < upstreams.length; i += 1) {
      const candidate = upstreams[(nextIndex + i) % upstreams.length] as Upstream;
      if (candidate.isHealthy && candidate !== exclude) {
        nextIndex = (nextIndex + i + 1) % upstreams.length;
        return candidate;
      }
    }
    return undefined;
  };

  const forward = (upstream: Upstream, incoming: http.IncomingMessage, body: Buffer): Promise<ResponseData> => {
    const headers = { ...incoming.headers, 'x-forwarded-for': incoming.socket.remoteAddress ?? '127.0.0.1' };
    delete headers.connection;
    delete headers['content-length'];
    return request({
      host: upstream.address.host, port: upstream.address.port, path: incoming.url ?? '/', method: incoming.method ?? 'GET',
      headers, body: body.length > 0 ? body : undefined, agent: upstream.agent, timeoutMs: settings.upstreamTimeoutMs,
    });
  };

  return {
    health: () => ({ upstreams: upstreams.map((u) => ({ name: u.name, isHealthy: u.isHealthy, reason: u.reason })) }),
    isChaosRoute: (url) => !RESERVED.has(url.pathname) && !url.pathname.startsWith('/edge/'),
    async handle(incoming, response, url) {
      if (url.pathname === '/edge/upstreams' && incoming.method === 'GET') {
        sendJson(response, 200, { upstreams: upstreams.map((u) => ({ name: u.name, isHealthy: u.isHealthy, reason: u.reason, changedAt: u.changedAt })), rateLimitRps: settings.rateLimitRps });
        return '/edge/upstreams';
      }
      if (!takeToken()) {
        limited.inc();
        logger.sampled('rate-limit', 'warn', `rate limit exceeded (${settings.rateLimitRps} requests/s): 429`);
        sendJson(response, 429, { error: 'rate limit exceeded', status: 429 }, { 'retry-after': '1' });
        return 'proxied';
      }
      const body = Buffer.from(await readBody(incoming), 'utf8');
      const first = pick();
      if (!first) {
        logger.sampled('no-upstream', 'error', 'no healthy upstream: 503');
        sendJson(response, 503, { error: 'no healthy upstream', status: 503 });
        return 'proxied';
      }
      let upstream: Upstream = first;
      for (let attempt = 1; ; attempt += 1) {
        try {
          const answer = await forward(upstream, incoming, body);
          if (answer.status === 502 || answer.status === 503 || answer.status === 504) {
            upstream.consecutive5xx += 1;
            if (upstream.consecutive5xx >= settings.consecutive5xx) setHealth(upstream, false, `${upstream.consecutive5xx} consecutive ${answer.status} answers`, 'consecutive_5xx');
          } else {
            upstream.consecutive5xx = 0;
          }
          proxied.inc({ upstream: upstream.name, outcome: answer.status >= 500 ? 'error' : 'ok' });
          const headers: http.OutgoingHttpHeaders = { ...answer.headers, 'x-upstream': upstream.name };
          delete headers.connection;
          delete headers['keep-alive'];
          delete headers['transfer-encoding'];
          headers['content-length'] = answer.body.length;
          response.writeHead(answer.status, headers);
          response.end(answer.body);
          return 'proxied';
        } catch (error) {
          proxied.inc({ upstream: upstream.name, outcome: 'failed' });
          const code = error instanceof RequestError ? error.code : 'ERROR';
          if (code !== 'ETIMEDOUT') setHealth(upstream, false, `passive: ${code} ${(error as Error).message}`, 'connection');
          const next: Upstream | undefined = attempt === 1 ? pick(upstream) : undefined;
          if (!next) {
            logger.sampled('bad-gateway', 'error', `upstream ${upstream.name} failed: ${(error as Error).message}: 502`);
            sendJson(response, 502, { error: `bad gateway: ${(error as Error).message}`, status: 502 });
            return 'proxied';
          }
          upstream = next;
        }
      }
    },
    async close() {
      clearInterval(healthTimer);
      for (const upstream of upstreams) upstream.agent.destroy();
    },
  };
}
