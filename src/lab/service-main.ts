import { createLogger } from './logger';
import { createServiceMetrics } from './metrics';
import { createApi } from './services/api';
import { createBackend } from './services/backend';
import { createCache } from './services/cache';
import { createCollector } from './services/collector';
import { runHttpService, type ServiceContext, type ServiceEvent, type ServiceImpl } from './services/common';
import { createDb } from './services/db';
import { createEdge } from './services/edge';
import { createProxyService } from './services/proxy';
import { SERVICE_CONFIG_ENV, type ServiceKind, type ServiceRuntimeConfig } from './topology';

// Entry point of one lab service process (dist/lab-service.js). The supervisor
// passes the configuration in CHAOSDECK_LAB_SERVICE and keeps an IPC channel
// open; when that channel closes (the supervisor is gone, even by SIGKILL)
// the service exits, so the lab never leaves orphans.

const factories: Record<ServiceKind, (context: ServiceContext) => Promise<ServiceImpl>> = {
  proxy: createProxyService,
  db: createDb,
  cache: createCache,
  backend: createBackend,
  collector: createCollector,
  api: createApi,
  edge: createEdge,
};

/** Messages a service sends its supervisor. */
export type ServiceMessage = { readonly type: 'ready'; readonly httpPort: number; readonly dataPort?: number } | { readonly type: 'event'; readonly event: ServiceEvent };

async function main(): Promise<void> {
  const raw = process.env[SERVICE_CONFIG_ENV];
  if (!raw) throw new Error(`${SERVICE_CONFIG_ENV} is not set: this process is started by the lab supervisor`);
  const config = JSON.parse(raw) as ServiceRuntimeConfig;
  process.title = `chaosdeck-lab-${config.name}`;
  // A closed stdout (the supervisor is gone) must not crash the service before the IPC disconnect ends it.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const logger = createLogger();
  const send = (message: ServiceMessage) => {
    if (process.connected) process.send?.(message);
  };
  if (process.send) process.on('disconnect', () => process.exit(0));
  const context: ServiceContext = {
    config,
    env: process.env,
    logger,
    metrics: createServiceMetrics(config.name),
    emit: (event) => send({ type: 'event', event }),
  };
  const impl = await factories[config.kind](context);
  const running = await runHttpService(context, impl);
  send({ type: 'ready', httpPort: running.port, ...(config.dataPort !== undefined ? { dataPort: config.dataPort } : {}) });
  let isClosing = false;
  const shutdown = (signal: string) => {
    if (isClosing) return;
    isClosing = true;
    logger.info(`received ${signal}, shutting down`);
    const force = setTimeout(() => process.exit(0), 2000);
    force.unref();
    running.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${new Date().toISOString()} ERROR could not start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
