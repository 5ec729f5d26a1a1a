import { findLab, resolveServices, startLab, stopLab, type LabClient, type LabStatus } from '../../lab/client';
import { palette, shouldColor, type Palette } from '../colors';
import { ExitCode, type CliArgs, type CliCommand, type CliIo } from '../command';

// `chaosdeck lab up | down | status [--json] | logs [service]`: the embedded
// shop, started as a detached supervisor that outlives the deck. `up` is
// idempotent; `down` stops it even after the deck was killed.

const USAGE = 'chaosdeck lab up | down | status [--json] | logs [service] [--tail N] [--follow]';

export const labCommand: CliCommand = {
  name: 'lab',
  summary: 'start, stop and inspect the embedded lab (a small shop to break)',
  usage: `${USAGE}\n\nThe lab runs edge, api-1, api-2, backend, cache, db, collector and the fault proxy on 127.0.0.1,\nsupervised by a background process that keeps running until \`chaosdeck lab down\`.`,
  options: {
    json: { type: 'boolean' },
    tail: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
  },
  optionHelp: {
    json: 'status: print every service, the active toxics, the breakers and the load as JSON',
    tail: 'logs: how many recent lines to print (default 100)',
    follow: 'logs: keep printing new lines until Ctrl+C',
  },
  async run(args, io) {
    const [subcommand, ...rest] = args.positionals;
    const p = palette(shouldColor(io.stdout, io.env));
    try {
      switch (subcommand) {
        case 'up':
          return await up(io, p);
        case 'down':
          return await down(io);
        case 'status':
          return await status(args, io, p);
        case 'logs':
          return await logs(args, rest[0], io, p);
        default:
          io.stderr.write(`usage: ${USAGE}\n`);
          return ExitCode.usage;
      }
    } catch (error) {
      io.stderr.write(`${p.error('lab:')} ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.failed;
    }
  },
};

async function up(io: CliIo, p: Palette): Promise<number> {
  const existing = await findLab({ env: io.env });
  const client = existing ?? (await startLab({ env: io.env }));
  const state = existing ? await client.waitUntilReady() : await client.status();
  io.stdout.write(existing ? `lab already running (pid ${state.pid})\n` : `lab started (pid ${state.pid})\n`);
  for (const service of state.services) io.stdout.write(`  ${service.name.padEnd(10)} ${service.url}\n`);
  io.stdout.write(`  ${p.dim(`fault proxy (Toxiproxy API) ${state.proxyApi} · control API ${client.controlUrl}`)}\n`);
  return ExitCode.ok;
}

async function down(io: CliIo): Promise<number> {
  const { wasRunning } = await stopLab({ env: io.env });
  io.stdout.write(wasRunning ? 'lab stopped\n' : 'lab was not running\n');
  return ExitCode.ok;
}

async function status(args: CliArgs, io: CliIo, p: Palette): Promise<number> {
  const client = await findLab({ env: io.env });
  if (!client) {
    if (args.values.json) io.stdout.write(`${JSON.stringify({ isRunning: false })}\n`);
    else io.stdout.write('lab is not running (chaosdeck lab up)\n');
    return ExitCode.failed;
  }
  const state = await client.status();
  if (args.values.json) {
    io.stdout.write(`${JSON.stringify(toJson(state), null, 2)}\n`);
    return ExitCode.ok;
  }
  io.stdout.write(`lab pid ${state.pid}, started ${state.startedAt}\n`);
  io.stdout.write(p.dim(`  ${'SERVICE'.padEnd(10)} ${'STATE'.padEnd(9)} ${'HEALTH'.padEnd(9)} ${'PID'.padEnd(8)} ${'RESTARTS'.padEnd(9)} ${'MEMORY'.padEnd(12)} LAST EXIT\n`));
  for (const s of state.services) {
    const health = s.health === 'healthy' ? p.ok(s.health.padEnd(9)) : s.health === 'unhealthy' ? p.error(s.health.padEnd(9)) : p.warn(s.health.padEnd(9));
    const memory = s.rssMb !== null ? `${s.rssMb}/${s.memoryLimitMb} MB` : `-/${s.memoryLimitMb} MB`;
    const exit = s.lastExit ? `${s.lastExit.reason}${s.lastExit.code !== null ? ` (${s.lastExit.code})` : s.lastExit.signal ? ` (${s.lastExit.signal})` : ''}` : '';
    io.stdout.write(`  ${s.name.padEnd(10)} ${s.state.padEnd(9)} ${health} ${String(s.pid ?? '-').padEnd(8)} ${String(s.restarts).padEnd(9)} ${memory.padEnd(12)} ${exit}\n`);
  }
  const toxics = state.proxies.flatMap((proxy) => proxy.toxics.map((t) => `${proxy.name}: ${t.type} ${t.stream} ${JSON.stringify(t.attributes)}${t.toxicity < 1 ? ` toxicity ${t.toxicity}` : ''} (${t.name})`));
  const disabled = state.proxies.filter((proxy) => !proxy.enabled).map((proxy) => `${proxy.name}: disabled`);
  io.stdout.write(`toxics: ${toxics.length + disabled.length === 0 ? 'none' : ''}\n`);
  for (const line of [...disabled, ...toxics]) io.stdout.write(`  ${p.warn(line)}\n`);
  const open = state.breakers.filter((b) => b.state !== 'CLOSED');
  io.stdout.write(`breakers: ${open.length === 0 ? 'all CLOSED' : open.map((b) => `${b.service}/${b.name} ${b.state}`).join(', ')}\n`);
  if (state.load) {
    const l = state.load;
    io.stdout.write(`load: ${l.isRunning ? 'running' : 'finished'} ${l.url}: ${l.sent} sent, ${l.errors} errors, p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms\n`);
  }
  return ExitCode.ok;
}

// The JSON `status --json` prints: every service's state, health, pid and restarts, and the active toxics.
function toJson(state: LabStatus): unknown {
  return {
    isRunning: true,
    pid: state.pid,
    startedAt: state.startedAt,
    isReady: state.isReady,
    services: state.services.map((s) => ({
      name: s.name, state: s.state, health: s.health, pid: s.pid, restarts: s.restarts, oomKills: s.oomKills,
      url: s.url, lastExit: s.lastExit, rssMb: s.rssMb, memoryLimitMb: s.memoryLimitMb, extraEnv: s.extraEnv,
    })),
    toxics: state.proxies.flatMap((proxy) => proxy.toxics.map((t) => ({ proxy: proxy.name, ...t }))),
    proxies: state.proxies.map((proxy) => ({ name: proxy.name, enabled: proxy.enabled, listen: proxy.listen, upstream: proxy.upstream })),
    breakers: state.breakers,
    load: state.load,
    proxyApi: state.proxyApi,
  };
}

async function logs(args: CliArgs, service: string | undefined, io: CliIo, p: Palette): Promise<number> {
  const client: LabClient | null = await findLab({ env: io.env });
  if (!client) {
    io.stderr.write('lab is not running (chaosdeck lab up)\n');
    return ExitCode.failed;
  }
  if (service && service !== 'supervisor' && resolveServices(service).length === 0) {
    io.stderr.write(`no lab service named ${service}\n`);
    return ExitCode.usage;
  }
  const tail = Number(args.values.tail ?? 100) || 100;
  const names = service ? [service] : ['supervisor', ...Object.keys(client.state.services)];
  const lines = (await Promise.all(names.map((name) => client.logs(name, tail)))).flat().sort((a, b) => a.ts - b.ts).slice(-tail);
  const wanted = new Set<string>(service ? (service === 'supervisor' ? ['supervisor'] : resolveServices(service)) : []);
  const print = (name: string, text: string) => io.stdout.write(service && wanted.size === 1 ? `${text}\n` : `${p.accent(name.padEnd(10))} ${text}\n`);
  for (const line of lines) print(line.service, line.text);
  if (!args.values.follow) return ExitCode.ok;
  await new Promise<void>((resolve) => {
    const close = client.subscribe((event) => {
      if (event.type === 'log' && (wanted.size === 0 || wanted.has(event.service))) print(event.service, event.text);
    }, { onEnd: () => resolve() });
    process.once('SIGINT', () => {
      close();
      resolve();
    });
  });
  return ExitCode.ok;
}
