import { readJson, sendJson } from '../http';
import { prom } from '../metrics';
import type { ServiceContext, ServiceImpl } from './common';

// backend: inventory and pricing, the dependency the api reaches through its
// retry and circuit breaker. Cheap on purpose; its slowness and errors come
// from the chaos knobs and the fault proxy.

/** Creates the backend service. */
export async function createBackend(context: ServiceContext): Promise<ServiceImpl> {
  const stock = new Map<number, number>(Array.from({ length: 12 }, (_, i) => [i + 1, 50 + ((i * 37) % 90)]));
  const reservations = new prom.Counter({ name: 'backend_reservations_total', help: 'Stock reservations made.', registers: [context.metrics.registry] });
  const priceOf = (id: number) => Math.round((9.5 + ((id * 7.3) % 120)) * 100) / 100;
  return {
    async handle(request, response, url) {
      const method = request.method ?? 'GET';
      if (method === 'GET' && url.pathname === '/prices') {
        sendJson(response, 200, { prices: Object.fromEntries([...stock.keys()].map((id) => [id, priceOf(id)])), currency: 'EUR' });
        return '/prices';
      }
      const match = /^\/inventory\/(\d+)$/.exec(url.pathname);
      if (method === 'GET' && match) {
        const id = Number(match[1]);
        sendJson(response, stock.has(id) ? 200 : 404, { id, stock: stock.get(id) ?? 0, price: priceOf(id) });
        return '/inventory/:id';
      }
      if (method === 'POST' && url.pathname === '/reserve') {
        const body = (await readJson(request)) as { items?: { id: number; quantity: number }[] };
        for (const item of body.items ?? []) stock.set(item.id, Math.max(0, (stock.get(item.id) ?? 0) - item.quantity));
        reservations.inc();
        sendJson(response, 200, { reserved: true });
        return '/reserve';
      }
      return null;
    },
  };
}
