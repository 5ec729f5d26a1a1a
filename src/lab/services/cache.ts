import { envNumber } from '../env';
import { sendJson } from '../http';
import { prom } from '../metrics';
import type { ServiceContext, ServiceImpl } from './common';
import { startLineServer, type LineServer } from './line-server';

// cache: a key-value store with expiry, the shop's Redis. Many requests share
// one connection (as ioredis does); a restart starts empty, so the room sees
// the hit ratio climb back as the api refills it.

/** Creates the cache service. */
export async function createCache(context: ServiceContext): Promise<ServiceImpl> {
  const { logger, metrics, env, config } = context;
  const maxKeys = envNumber(env, 'CACHE_MAX_KEYS', 10_000);
  const store = new Map<string, { value: unknown; expiresAt: number }>();
  const registers = [metrics.registry];
  const keys = new prom.Gauge({ name: 'cache_keys', help: 'Keys held.', registers, collect() { this.set(store.size); } });
  const operations = new prom.Counter({ name: 'cache_operations_total', help: 'Operations served, by operation and result.', labelNames: ['op', 'result'] as const, registers });
  void keys;

  const handle = async (request: { op: string; [key: string]: unknown }): Promise<unknown> => {
    const key = String(request.key ?? '');
    switch (request.op) {
      case 'ping':
        return 'PONG';
      case 'get': {
        const entry = store.get(key);
        if (!entry || entry.expiresAt <= Date.now()) {
          if (entry) store.delete(key);
          operations.inc({ op: 'get', result: 'miss' });
          return null;
        }
        operations.inc({ op: 'get', result: 'hit' });
        return entry.value;
      }
      case 'set': {
        const ttlMs = typeof request.ttlMs === 'number' ? request.ttlMs : 60_000;
        if (store.size >= maxKeys && !store.has(key)) store.delete(store.keys().next().value as string);
        store.set(key, { value: request.value, expiresAt: Date.now() + ttlMs });
        operations.inc({ op: 'set', result: 'ok' });
        return 'OK';
      }
      case 'del':
        operations.inc({ op: 'del', result: 'ok' });
        return store.delete(key) ? 1 : 0;
      case 'flushall':
        store.clear();
        return 'OK';
      default:
        throw new Error(`ERR unknown command '${request.op}'`);
    }
  };

  const server: LineServer = await startLineServer({ port: config.dataPort ?? 0, isSequential: false, admit: () => null, handle: (r) => handle(r) });
  logger.info(`Ready to accept connections on 127.0.0.1:${server.port}`);
  return {
    health: () => ({ dataPort: server.port, keys: store.size, connections: server.activeConnections }),
    async handle(request, response, url) {
      if (url.pathname === '/admin/flush' && request.method === 'POST') {
        store.clear();
        logger.warn('FLUSHALL: every key removed');
        sendJson(response, 200, { keys: 0 });
        return '/admin/flush';
      }
      return null;
    },
    close: () => server.close(),
  };
}
