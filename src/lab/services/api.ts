import { envNumber } from '../env';
import { HttpError, keepAliveAgent, readJson, RequestError, sendJson } from '../http';
import { CallNotPermittedError, CircuitBreaker, type CircuitBreakerConfig } from '../resilience/circuit-breaker';
import { Retry } from '../resilience/retry';
import type { Address } from '../topology';
import { BackendError, CacheClient, callBackend, DbPool, startTelemetryExporter } from './api-clients';
import { createRatioWindow, registerApiMetrics } from './api-metrics';
import type { ServiceContext, ServiceImpl } from './common';

// api: the shop API (products, cart, checkout, orders). It reads the catalog
// cache-aside (cache, then db), prices and stock from the backend through
// backendRetry and backendCB with a fallback, writes orders to the db through
// a pool and dbCB (failing fast with 503 when the db is gone), and exports
// telemetry to the collector without ever waiting on it.

/** Creates the api service. */
export async function createApi(context: ServiceContext): Promise<ServiceImpl> {
  const { logger, env, config } = context;
  const link = (name: 'backend' | 'cache' | 'db' | 'collector'): Address => {
    const address = config.links[name];
    if (!address) throw new Error(`api needs the ${name} link`);
    return address;
  };
  const backendAddress = link('backend');
  const settings = {
    backendTimeoutMs: envNumber(env, 'BACKEND_TIMEOUT_MS', 180),
    cacheTtlMs: envNumber(env, 'CACHE_TTL_MS', 10_000),
    cacheTimeoutMs: envNumber(env, 'CACHE_TIMEOUT_MS', 50),
  };
  const breakerConfig = (name: string, prefix: string): CircuitBreakerConfig => ({
    name,
    failureRateThreshold: envNumber(env, `${prefix}_FAILURE_RATE_THRESHOLD`, 50),
    slidingWindowSize: envNumber(env, `${prefix}_SLIDING_WINDOW_SIZE`, 10),
    minimumNumberOfCalls: envNumber(env, `${prefix}_MINIMUM_CALLS`, 5),
    waitDurationInOpenStateMs: envNumber(env, `${prefix}_WAIT_DURATION_MS`, 5000),
    permittedNumberOfCallsInHalfOpenState: envNumber(env, `${prefix}_HALF_OPEN_CALLS`, 3),
  });
  const backendCB = new CircuitBreaker(breakerConfig('backendCB', 'CB'), logger);
  const dbCB = new CircuitBreaker(breakerConfig('dbCB', 'DB_CB'), logger);
  const backendRetry = new Retry({
    name: 'backendRetry',
    maxAttempts: envNumber(env, 'RETRY_MAX_ATTEMPTS', 3),
    initialIntervalMs: envNumber(env, 'RETRY_INITIAL_INTERVAL_MS', 100),
    multiplier: envNumber(env, 'RETRY_MULTIPLIER', 2),
    randomizationFactor: envNumber(env, 'RETRY_RANDOMIZATION_FACTOR', 0.5),
    maxIntervalMs: envNumber(env, 'RETRY_MAX_INTERVAL_MS', 2000),
  }, logger);
  for (const breaker of [backendCB, dbCB]) {
    breaker.onTransition((t) => context.emit({ kind: 'breaker', name: t.name, from: t.from, to: t.to, failureRate: t.failureRate }));
  }
  const cache = new CacheClient(link('cache'), logger, settings.cacheTimeoutMs);
  const pool = new DbPool(link('db'), {
    size: envNumber(env, 'DB_POOL_SIZE', 5),
    acquireTimeoutMs: envNumber(env, 'DB_ACQUIRE_TIMEOUT_MS', 1000),
    queryTimeoutMs: envNumber(env, 'DB_QUERY_TIMEOUT_MS', 1000),
  });
  const agent = keepAliveAgent(128);
  const hitRatio = createRatioWindow(10);
  const counters = registerApiMetrics(context.metrics, { breakers: [backendCB, dbCB], retries: [backendRetry], pool: () => pool.stats(), hitRatio: () => hitRatio.ratio() });
  const telemetry = { requests: 0, errors: 0 };
  const stopTelemetry = startTelemetryExporter(config.links.collector, config.name, logger, () => {
    const batch = { ...telemetry };
    telemetry.requests = 0;
    telemetry.errors = 0;
    return batch;
  }, () => counters.telemetryFailures.inc());
  let lastPrices: Record<string, number> | undefined;

  const db = async (op: string, fields: Record<string, unknown>): Promise<unknown> => {
    try {
      return await dbCB.execute(() => pool.query(op, fields));
    } catch (error) {
      const reason = error instanceof CallNotPermittedError ? 'breaker_open' : ((error as { code?: string }).code ?? 'error').toLowerCase();
      counters.dbErrors.inc({ reason });
      logger.sampled('db-error', 'error', `database call failed: ${(error as Error).message}`);
      throw new HttpError(503, `database unavailable: ${(error as Error).message}`);
    }
  };

  const isRetryable = (error: unknown) => error instanceof BackendError || error instanceof RequestError;
  const backend = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await backendRetry.execute(
      () => backendCB.execute(() => callBackend(backendAddress, agent, path, settings.backendTimeoutMs, body)),
      isRetryable,
    );
    return JSON.parse(response.body.toString('utf8')) as unknown;
  };
  const fallback = (dependency: string, error: unknown) => {
    counters.fallbacks.inc({ dependency });
    logger.sampled(`fallback-${dependency}`, 'warn', `Fallback response due to error: ${(error as Error).message}`);
  };

  const cacheAside = async (key: string, load: () => Promise<unknown>): Promise<{ value: unknown; source: 'cache' | 'db' }> => {
    try {
      const cached = await cache.get(key);
      if (cached !== null && cached !== undefined) {
        counters.cache.inc({ result: 'hit' });
        hitRatio.hit();
        return { value: cached, source: 'cache' };
      }
      counters.cache.inc({ result: 'miss' });
    } catch (error) {
      counters.cache.inc({ result: 'error' });
      logger.sampled('cache-read', 'warn', `Cache unavailable, falling back to db: ${(error as Error).message}`, 2);
    }
    hitRatio.miss();
    const value = await load();
    cache.set(key, value, settings.cacheTtlMs).catch(() => {});
    return { value, source: 'db' };
  };

  const products = async () => {
    const [catalog, pricing] = await Promise.all([
      cacheAside('products:all', () => db('select', { table: 'products' })),
      backend('/prices').then(
        (body) => {
          lastPrices = (body as { prices: Record<string, number> }).prices;
          return { prices: lastPrices, isFallback: false };
        },
        (error: unknown) => {
          fallback('backend', error);
          return { prices: lastPrices ?? {}, isFallback: true };
        },
      ),
    ]);
    const rows = catalog.value as { id: number; name: string }[];
    return {
      products: rows.map((row) => ({ ...row, price: pricing.prices[String(row.id)] ?? null })),
      source: catalog.source,
      pricing: pricing.isFallback ? 'fallback' : 'live',
    };
  };

  return {
    health: () => ({ breakers: { backendCB: backendCB.state, dbCB: dbCB.state }, pool: pool.stats() }),
    isChaosRoute: (url) => url.pathname.startsWith('/api/'),
    async handle(request, response, url) {
      const method = request.method ?? 'GET';
      if (!url.pathname.startsWith('/api/')) return null;
      telemetry.requests += 1;
      try {
        if (method === 'GET' && url.pathname === '/api/products') {
          const body = await products();
          sendJson(response, 200, body, { 'x-served-by': config.name, 'x-fallback': String(body.pricing === 'fallback') });
          return '/api/products';
        }
        const productMatch = /^\/api\/products\/(\d+)$/.exec(url.pathname);
        if (method === 'GET' && productMatch) {
          const id = Number(productMatch[1]);
          const { value, source } = await cacheAside(`product:${id}`, () => db('select', { table: 'products', where: { id } }));
          const product = (value as unknown[])[0];
          if (!product) throw new HttpError(404, `no product ${id}`);
          const stock = await backend(`/inventory/${id}`).catch((error: unknown) => {
            fallback('backend', error);
            return { stock: null, isFallback: true };
          });
          sendJson(response, 200, { product, stock, source }, { 'x-served-by': config.name });
          return '/api/products/:id';
        }
        if (method === 'GET' && url.pathname === '/api/orders') {
          sendJson(response, 200, { orders: await db('select', { table: 'orders', limit: 20 }) }, { 'x-served-by': config.name });
          return '/api/orders';
        }
        const cartMatch = /^\/api\/cart\/([\w-]+)$/.exec(url.pathname);
        if (cartMatch) {
          const user = cartMatch[1] as string;
          if (method === 'POST') {
            const item = (await readJson(request)) as { id?: number; quantity?: number };
            const row = await db('insert', { table: 'carts', row: { user, id: item.id ?? 1, quantity: item.quantity ?? 1 } });
            sendJson(response, 201, row, { 'x-served-by': config.name });
          } else {
            sendJson(response, 200, { user, items: await db('select', { table: 'carts', where: { user } }) }, { 'x-served-by': config.name });
          }
          return '/api/cart/:user';
        }
        if (method === 'POST' && url.pathname === '/api/checkout') {
          const body = (await readJson(request)) as { user?: string; items?: { id: number; quantity: number }[] };
          const items = body.items ?? [{ id: 1, quantity: 1 }];
          const order = await db('insert', { table: 'orders', row: { user: body.user ?? 'guest', items } });
          const reservation = await backend('/reserve', { items }).then(
            () => 'reserved',
            (error: unknown) => {
              fallback('backend', error);
              return 'pending';
            },
          );
          sendJson(response, 201, { order, reservation }, { 'x-served-by': config.name });
          return '/api/checkout';
        }
        throw new HttpError(404, `no route for ${method} ${url.pathname}`);
      } catch (error) {
        if (!(error instanceof HttpError) || error.status >= 500) telemetry.errors += 1;
        throw error;
      }
    },
    async close() {
      stopTelemetry();
      backendCB.close();
      dbCB.close();
      cache.close();
      pool.close();
      agent.destroy();
    },
  };
}
