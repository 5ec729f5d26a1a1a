import { handleToxiproxyApi } from '../fault-proxy/api';
import { ProxyCollection } from '../fault-proxy/collection';
import { prom } from '../metrics';
import type { ServiceContext, ServiceImpl } from './common';

// proxy: the fault proxy as a lab service. Every link of the shop runs through
// one of its proxies; its HTTP port answers Toxiproxy's API, so the toxiproxy
// driver (and any Toxiproxy client) drives the lab as it drives Toxiproxy.

/** Creates the proxy service with the proxies from its configuration. */
export async function createProxyService(context: ServiceContext): Promise<ServiceImpl> {
  const { logger, config, metrics } = context;
  const collection = new ProxyCollection({
    onUpstreamError: (proxy, error) => logger.sampled(`upstream-${proxy}`, 'warn', `proxy ${proxy}: upstream connection failed: ${error.message}`, 2),
    onChange: (message) => logger.info(message),
  });
  await collection.populate(config.proxies ?? []);
  const registers = [metrics.registry];
  const read = (collect: (proxy: ReturnType<ProxyCollection['list']>[number]) => number) => collection.list().map((p) => [p.name, collect(p)] as const);
  new prom.Gauge({
    name: 'toxiproxy_proxy_connections', help: 'Open client connections, by proxy.', labelNames: ['proxy'] as const, registers,
    collect() { for (const [proxy, value] of read((p) => p.connectionCount)) this.set({ proxy }, value); },
  });
  new prom.Gauge({
    name: 'toxiproxy_proxy_toxics', help: 'Active toxics, by proxy.', labelNames: ['proxy'] as const, registers,
    collect() { for (const [proxy, value] of read((p) => p.toxics.length)) this.set({ proxy }, value); },
  });
  new prom.Gauge({
    name: 'toxiproxy_proxy_enabled', help: 'Whether the proxy accepts connections.', labelNames: ['proxy'] as const, registers,
    collect() { for (const [proxy, value] of read((p) => (p.enabled ? 1 : 0))) this.set({ proxy }, value); },
  });
  new prom.Counter({
    name: 'toxiproxy_proxy_received_bytes_total', help: 'Bytes received from clients, by proxy.', labelNames: ['proxy'] as const, registers,
    collect() { this.reset(); for (const [proxy, value] of read((p) => p.counters.bytesUp)) this.inc({ proxy }, value); },
  });
  new prom.Counter({
    name: 'toxiproxy_proxy_sent_bytes_total', help: 'Bytes received from upstreams and sent to clients, by proxy.', labelNames: ['proxy'] as const, registers,
    collect() { this.reset(); for (const [proxy, value] of read((p) => p.counters.bytesDown)) this.inc({ proxy }, value); },
  });
  new prom.Counter({
    name: 'toxiproxy_proxy_upstream_failures_total', help: 'Upstream connections that failed, by proxy.', labelNames: ['proxy'] as const, registers,
    collect() { this.reset(); for (const [proxy, value] of read((p) => p.counters.upstreamFailures)) this.inc({ proxy }, value); },
  });
  return {
    health: () => ({ proxies: collection.list().length }),
    async handle(request, response) {
      return (await handleToxiproxyApi(collection, request, response)) ? 'toxiproxy' : null;
    },
    close: () => collection.close(),
  };
}
