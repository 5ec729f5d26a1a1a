import { envNumber } from '../env';
import { readJson, sendJson } from '../http';
import { prom } from '../metrics';
import { body, type ServiceContext, type ServiceImpl } from './common';
import { startLineServer, type LineServer } from './line-server';

// db: the shop's database, a small in-memory store behind a connection limit.
// Like Postgres it runs one query at a time per connection, takes a few
// milliseconds per query, and refuses connections beyond max_connections with
// "FATAL: sorry, too many clients already".

/** A product row. */
export interface Product {
  readonly id: number;
  readonly name: string;
  readonly category: string;
}

const PRODUCTS: readonly Product[] = [
  'Trail running shoes', 'Rain jacket', 'Insulated bottle', 'Head torch', 'Merino socks', 'Day pack 22 L',
  'Trekking poles', 'Camp stove', 'First-aid kit', 'Sun hat', 'Water filter', 'Sleeping mat',
].map((name, index) => ({ id: index + 1, name, category: index % 2 === 0 ? 'gear' : 'clothing' }));



/** Creates the db service. */
export async function createDb(context: ServiceContext): Promise<ServiceImpl> {
  const { logger, metrics, env, config } = context;
  const settings = {
    maxConnections: envNumber(env, 'DB_MAX_CONNECTIONS', 20),
    queryMs: envNumber(env, 'DB_QUERY_MS', 3),
  };
  const tables: Record<string, Record<string, unknown>[]> = { products: PRODUCTS.map((p) => ({ ...p })), orders: [], carts: [] };
  const registers = [metrics.registry];
  const active = new prom.Gauge({ name: 'db_connections_active', help: 'Open client connections.', registers });
  const max = new prom.Gauge({ name: 'db_connections_max', help: 'The connection limit (max_connections).', registers });
  const rejected = new prom.Counter({ name: 'db_connections_rejected_total', help: 'Connections refused: too many clients.', registers });
  const queries = new prom.Counter({ name: 'db_queries_total', help: 'Queries run, by operation.', labelNames: ['op'] as const, registers });
  max.set(settings.maxConnections);

  const handle = async (request: { op: string; [key: string]: unknown }): Promise<unknown> => {
    queries.inc({ op: request.op });
    if (request.op === 'ping') return 'pong';
    if (settings.queryMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.queryMs));
    const table = tables[String(request.table)];
    if (!table) throw new Error(`ERROR: relation "${String(request.table)}" does not exist`);
    switch (request.op) {
      case 'select': {
        const where = (request.where ?? {}) as Record<string, unknown>;
        const rows = table.filter((row) => Object.entries(where).every(([k, v]) => row[k] === v));
        const limit = typeof request.limit === 'number' ? request.limit : rows.length;
        return rows.slice(-limit);
      }
      case 'insert': {
        const row = { id: table.length + 1, ...(request.row as Record<string, unknown>), createdAt: new Date().toISOString() };
        table.push(row);
        return row;
      }
      case 'count':
        return table.length;
      default:
        throw new Error(`ERROR: unknown operation ${request.op}`);
    }
  };

  const server: LineServer = await startLineServer({
    port: config.dataPort ?? 0,
    isSequential: true,
    admit: (current) => {
      if (current < settings.maxConnections) return null;
      rejected.inc();
      logger.sampled('too-many', 'error', `FATAL: sorry, too many clients already (max_connections=${settings.maxConnections})`);
      return 'FATAL: sorry, too many clients already';
    },
    handle: (request) => handle(request),
    onConnectionsChanged: (count) => active.set(count),
  });
  logger.info(`database system is ready to accept connections on 127.0.0.1:${server.port} (max_connections=${settings.maxConnections})`);

  return {
    health: () => ({ dataPort: server.port, connections: server.activeConnections, maxConnections: settings.maxConnections }),
    async handle(request, response, url) {
      if (url.pathname !== '/admin/db') return null;
      if (request.method === 'GET') {
        sendJson(response, 200, { ...settings, connections: server.activeConnections });
        return '/admin/db';
      }
      const change = body<{ maxConnections?: number; queryMs?: number }>(await readJson(request), {
        maxConnections: { type: 'number', isInteger: true, min: 0, isOptional: true },
        queryMs: { type: 'number', min: 0, isOptional: true },
      });
      Object.assign(settings, change);
      max.set(settings.maxConnections);
      logger.warn(`settings changed: max_connections=${settings.maxConnections}, query time ${settings.queryMs} ms`);
      sendJson(response, 200, { ...settings, connections: server.activeConnections });
      return '/admin/db';
    },
    close: () => server.close(),
  };
}
