import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { labStateDir, readLabState, removeLabState, writeLabState } from './state-file';
import { startControlApi } from './supervisor/control-api';
import { Supervisor } from './supervisor/supervisor';

// Entry point of the lab's supervisor daemon (dist/lab-supervisor.js). The
// client starts it detached; it writes state.json once its control API
// listens, starts the services, and on shutdown (POST /shutdown, SIGTERM,
// SIGINT) stops them and removes state.json. If it is SIGKILLed, its services
// see their IPC channel close and exit by themselves.

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'state-dir': { type: 'string' } } });
  const stateDir = values['state-dir'] ?? labStateDir();
  process.title = 'chaosdeck-lab-supervisor';
  const say = (text: string) => process.stdout.write(`${new Date().toISOString()} ${text}\n`);
  const existing = readLabState(stateDir);
  if (existing && existing.pid !== process.pid && isAlive(existing.pid)) {
    say(`another lab supervisor (pid ${existing.pid}) owns ${stateDir}; exiting`);
    process.exit(1);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const serviceScript = process.env.CHAOSDECK_LAB_SERVICE_SCRIPT ?? join(here, 'lab-service.js');
  if (!existsSync(serviceScript)) throw new Error(`lab service script not found at ${serviceScript} (run npm run build)`);

  const supervisor = await Supervisor.create(serviceScript);
  supervisor.subscribe((event) => {
    if (event.type === 'log' && event.service === 'supervisor') say(event.text);
  });
  let isStopping = false;
  const shutdown = async (why: string) => {
    if (isStopping) return;
    isStopping = true;
    say(`shutting down (${why})`);
    const force = setTimeout(() => process.exit(1), 10_000);
    try {
      await supervisor.shutdown();
    } finally {
      clearTimeout(force);
      removeLabState(stateDir, process.pid);
      say('lab stopped');
      process.exit(0);
    }
  };
  const token = randomBytes(24).toString('hex');
  const { port } = await startControlApi(supervisor, token, () => void shutdown('POST /shutdown'));
  const services = Object.fromEntries([...supervisor.services.values()].map((s) => [s.name, s.status().url]));
  writeLabState(stateDir, { version: 1, pid: process.pid, controlPort: port, token, startedAt: supervisor.startedAt, services, proxyApi: supervisor.proxyApi });
  say(`control API on http://127.0.0.1:${port}; state in ${stateDir}`);
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGHUP', () => {});
  process.on('unhandledRejection', (error) => say(`unhandled rejection: ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
  try {
    await supervisor.startAll();
  } catch (error) {
    say(`lab did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${new Date().toISOString()} lab supervisor failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
