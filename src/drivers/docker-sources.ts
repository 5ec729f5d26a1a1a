import { z } from 'zod';
import type { SourceSpec } from '../scenario/environment';
import type { DoctorCheck, Source, SourceContext } from './driver';
import type { CommandRunner } from './exec';
import { parseConfig } from './action-support';
import { DockerConfigSchema, dockerBase, type DockerConfig } from './docker-config';
import { parseInspect, statusOf } from './docker-inspect';
import { streamCommand, streamLogLines } from '../sources/command-stream';
import { parseResilienceLogLine } from '../sources/resilience4j';
import { combineSources, sourceIdOf } from '../sources/source-id';

// What the docker driver can feed the deck: `docker logs -f` per container
// (also read for resilience4j breaker lines), and status from `docker inspect`
// refreshed whenever `docker events` reports a change to a watched container.

const SourceFieldsSchema = z.looseObject({
  /** Containers to watch when no target is named; defaults to every docker-bound target. */
  containers: z.array(z.string()).optional(),
  /** `docker logs --since`. */
  since: z.string().default('1m'),
  tail: z.number().int().nonnegative().default(50),
});

/** Logical name → container for the targets a source watches. */
function watchedContainers(spec: SourceSpec, context: SourceContext): Map<string, string> {
  const fields = SourceFieldsSchema.parse(spec);
  const watched = new Map<string, string>();
  const bindingContainer = (name: string) => {
    const binding = context.environment.targets[name];
    return binding?.driver === 'docker' && typeof binding.container === 'string' ? binding.container : undefined;
  };
  if (spec.target) {
    const container = bindingContainer(spec.target) ?? (typeof context.binding?.container === 'string' ? context.binding.container : undefined);
    if (container) watched.set(spec.target, container);
  } else if (fields.containers) {
    for (const container of fields.containers) watched.set(container, container);
  } else {
    for (const name of Object.keys(context.environment.targets)) {
      const container = bindingContainer(name);
      if (container) watched.set(name, container);
    }
  }
  return watched;
}

function openStatus(id: string, config: DockerConfig, watched: Map<string, string>, context: SourceContext): Source {
  const docker = dockerBase(config);
  const names = [...watched.keys()];
  const containers = [...watched.values()];
  let isRefreshing = false;
  let isPending = false;
  const refresh = async (): Promise<void> => {
    if (isRefreshing) {
      isPending = true;
      return;
    }
    isRefreshing = true;
    try {
      const result = await context.runner.run({ argv: [...docker, 'inspect', ...containers], isReadOnly: true, timeoutMs: 10_000 }, { signal: context.signal });
      const found = parseInspect(result.stdout);
      const targets = names.map((name, index) => {
        const container = containers[index]!;
        const match = found.find((c) => c.Name === `/${container}` || c.Name === container || c.Id.startsWith(container));
        return match ? statusOf(match, name) : { name, state: 'missing', isReady: false, restarts: 0, detail: `no container ${container}` };
      });
      if (!context.signal.aborted) context.emit({ type: 'status', source: id, targets });
    } finally {
      isRefreshing = false;
      if (isPending && !context.signal.aborted) {
        isPending = false;
        void refresh();
      }
    }
  };
  void refresh();
  const filters = containers.flatMap((c) => ['--filter', `container=${c}`]);
  return streamCommand({
    id,
    runner: context.runner,
    signal: context.signal,
    spec: { argv: [...docker, 'events', '--format', '{{json .}}', '--filter', 'type=container', ...filters] },
    onLine: () => void refresh(),
  });
}

function openLogs(id: string, config: DockerConfig, watched: Map<string, string>, spec: SourceSpec, context: SourceContext, isBreakers: boolean): Source {
  const fields = SourceFieldsSchema.parse(spec);
  const prefixed = watched.size > 1;
  const sources = [...watched].map(([name, container]) =>
    streamLogLines({
      id,
      runner: context.runner,
      signal: context.signal,
      emit: context.emit,
      spec: { argv: [...dockerBase(config), 'logs', '--follow', '--since', fields.since, '--tail', String(fields.tail), container] },
      transform: isBreakers ? () => null : (line) => (prefixed ? `[${name}] ${line}` : line),
      observe: (line) => {
        for (const event of parseResilienceLogLine(line, id)) context.emit(event);
      },
    }),
  );
  return combineSources(id, sources);
}

/** Starts a docker source: `kind: logs`, `status` or `breakers` (resilience4j lines in the containers' logs). */
export function dockerOpenSource(spec: SourceSpec, context: SourceContext): Source | null {
  const config = parseConfig(DockerConfigSchema, context.config, 'docker');
  const watched = watchedContainers(spec, context);
  if (watched.size === 0) return null;
  const id = sourceIdOf(spec);
  if (spec.kind === 'status') return openStatus(id, config, watched, context);
  if (spec.kind === 'logs' || spec.kind === 'breakers') return openLogs(id, config, watched, spec, context, spec.kind === 'breakers');
  return null;
}

const VersionSchema = z.looseObject({
  Client: z.looseObject({ Version: z.string() }).nullish(),
  Server: z.looseObject({ Version: z.string() }).nullish(),
});

/** Checks the docker client, the daemon it reaches, and the context in use. */
export async function dockerDoctor(raw: Readonly<Record<string, unknown>>, runner: CommandRunner): Promise<DoctorCheck[]> {
  const config = parseConfig(DockerConfigSchema, raw, 'docker');
  const docker = dockerBase(config);
  const version = await runner.run({ argv: [...docker, 'version', '--format', '{{json .}}'], isReadOnly: true, timeoutMs: 15_000 });
  if (version.spawnError) {
    return [{ name: 'docker binary', isOk: false, detail: `${config.binary} not found`, fix: 'install the docker CLI (apt-get install docker.io, or Docker Desktop) or set drivers.docker.binary' }];
  }
  let parsed: z.infer<typeof VersionSchema> = {};
  try {
    parsed = VersionSchema.parse(JSON.parse(version.stdout.trim().split('\n')[0] ?? '{}'));
  } catch {
    // An old client prints no JSON; the checks below report it as unknown.
  }
  const checks: DoctorCheck[] = [{ name: 'docker binary', isOk: true, detail: `client ${parsed.Client?.Version ?? 'unknown version'}` }];
  const context = await runner.run({ argv: [...docker, 'context', 'show'], isReadOnly: true, timeoutMs: 10_000 });
  checks.push({ name: 'docker context', isOk: context.isOk, detail: context.isOk ? context.stdout.trim() || 'default' : context.stderr.trim(), ...(context.isOk ? {} : { fix: 'docker context ls; docker context use NAME' }) });
  const isReachable = Boolean(parsed.Server?.Version);
  checks.push({
    name: 'docker daemon',
    isOk: isReachable,
    detail: isReachable ? `server ${parsed.Server?.Version}` : (version.stderr.trim().split('\n').pop() ?? 'unreachable'),
    ...(isReachable ? {} : { fix: 'start the docker daemon, or point drivers.docker.host / DOCKER_HOST at one you can reach' }),
  });
  return checks;
}
