import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { SourceSpec } from '../scenario/environment';
import type { DoctorCheck, Source, SourceContext } from './driver';
import { createLineBatcher } from '../sources/batch';
import { parseResilienceLogLine } from '../sources/resilience4j';
import { sourceIdOf } from '../sources/source-id';
import { messageOf } from '../engine/errors';
import { parseConfig } from './action-support';
import { formatArgv } from './quote';
import { connection, remoteExec } from './ssh-connection';
import { resolveEndpoint, SshBindingSchema, SshConfigSchema, type SshConfig, type SshEndpoint } from './ssh-config';

// What ssh feeds the deck: `journalctl -fu UNIT` for logs (also read for
// resilience4j lines), and any long-running remote command for the command
// source. Sources cannot ask the presenter, so an unknown host key is refused.

/** Streams a remote command's lines until stopped; reports why it ended if it ends by itself. */
export function streamRemote(options: {
  id: string; endpoint: SshEndpoint; config: SshConfig; argv: readonly string[]; signal: AbortSignal;
  onLine: (line: string, stream: 'stdout' | 'stderr') => void; onEnd?: (why: string) => void;
}): Source {
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  const done = remoteExec(options.endpoint, options.config, formatArgv(options.argv), {
    signal: controller.signal,
    onLine: (stream, line) => options.onLine(line, stream),
  })
    .then((result) => {
      if (!controller.signal.aborted) options.onEnd?.(result.stderr.trim().split('\n').pop() || `exit ${result.exitCode}`);
    })
    .catch((error: unknown) => {
      if (!controller.signal.aborted) options.onEnd?.(messageOf(error));
    })
    .finally(() => options.signal.removeEventListener('abort', abort));
  return {
    id: options.id,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

/** The endpoint of an ssh-bound target, resolved against the driver configuration. */
export function endpointOfBinding(raw: unknown, config: SshConfig): { endpoint: SshEndpoint; unit?: string; sudo: boolean } {
  const binding = SshBindingSchema.parse(raw);
  const endpoint = resolveEndpoint(binding.host, config, {
    ...(binding.port ? { port: binding.port } : {}),
    ...(binding.user ? { user: binding.user } : {}),
    ...(binding.fingerprint ? { fingerprint: binding.fingerprint } : {}),
    ...(binding.via ? { via: binding.via } : {}),
  });
  return { endpoint, ...(binding.unit ? { unit: binding.unit } : {}), sudo: config.sudo ?? endpoint.user !== 'root' };
}

const FieldsSchema = z.looseObject({ unit: z.string().optional(), lines: z.number().int().nonnegative().default(20) });

/** Starts an ssh source: `kind: logs` or `breakers` from `journalctl -fu UNIT` on the target's host. */
export function sshOpenSource(spec: SourceSpec, context: SourceContext): Source | null {
  if (spec.kind !== 'logs' && spec.kind !== 'breakers') return null;
  const config = parseConfig(SshConfigSchema, context.config, 'ssh');
  const raw = spec.target ? context.environment.targets[spec.target] : context.binding;
  if (!raw) return null;
  const { endpoint, unit: boundUnit } = endpointOfBinding(raw, config);
  const unit = FieldsSchema.parse(spec).unit ?? boundUnit;
  if (!unit) return null;
  const id = sourceIdOf(spec);
  const isBreakers = spec.kind === 'breakers';
  const batcher = createLineBatcher({ onFlush: (lines, dropped) => context.emit({ type: 'log.lines', source: id, lines, dropped }) });
  const inner = streamRemote({
    id, endpoint, config, signal: context.signal,
    argv: ['journalctl', '--follow', '--unit', unit, '--lines', String(FieldsSchema.parse(spec).lines), '--output', 'cat'],
    onLine: (line) => {
      for (const event of parseResilienceLogLine(line, id)) context.emit(event);
      if (!isBreakers) batcher.push(line, Date.now());
    },
    onEnd: (why) => context.emit({ type: 'notice', level: 'warn', text: `source ${id} ended: ${why}` }),
  });
  return {
    id,
    async stop() {
      await inner.stop();
      batcher.close();
    },
  };
}

/** Checks keys, known_hosts, and that every named host answers with a trusted key and accepts the credentials. */
export async function sshDoctor(raw: Readonly<Record<string, unknown>>): Promise<DoctorCheck[]> {
  const config = parseConfig(SshConfigSchema, raw, 'ssh');
  const agent = config.agent ?? process.env.SSH_AUTH_SOCK;
  const hasKey = Boolean(config.identityFile && existsSync(config.identityFile));
  const hasAgent = Boolean(agent && existsSync(agent));
  const checks: DoctorCheck[] = [
    {
      name: 'ssh credentials', isOk: hasKey || hasAgent || Boolean(config.passwordEnv),
      detail: [hasAgent ? `agent ${agent}` : '', hasKey ? `key ${config.identityFile}` : '', config.passwordEnv ? `password from $${config.passwordEnv}` : ''].filter(Boolean).join(', ') || 'no agent, key or password',
      fix: 'start ssh-agent and ssh-add your key, or set drivers.ssh.identityFile',
    },
  ];
  const knownHosts = config.knownHosts.filter((path) => existsSync(path));
  checks.push({ name: 'known_hosts', isOk: knownHosts.length > 0, detail: knownHosts.join(', ') || `none of ${config.knownHosts.join(', ')}`, fix: 'ssh once to each host, or ssh-keyscan HOST >> ~/.ssh/known_hosts after checking its fingerprint' });
  for (const name of Object.keys(config.hosts)) {
    const endpoint = resolveEndpoint(name, config);
    try {
      await connection(endpoint, config);
      checks.push({ name: `ssh ${name}`, isOk: true, detail: `${endpoint.user}@${endpoint.host}:${endpoint.port} reachable, host key trusted` });
    } catch (error) {
      checks.push({ name: `ssh ${name}`, isOk: false, detail: messageOf(error), fix: 'check the address, the host key and your credentials: ssh -v USER@HOST' });
    }
  }
  return checks;
}
