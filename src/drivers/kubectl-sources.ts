import { z } from 'zod';
import type { SourceSpec } from '../scenario/environment';
import type { DoctorCheck, Source, SourceContext } from './driver';
import type { CommandRunner } from './exec';
import { parseConfig } from './action-support';
import { KubectlConfigSchema, kubectlBase, type KubectlConfig } from './kubectl-config';
import { createJsonObjectSplitter, podStatus, PodSchema, type Pod } from './kubectl-pods';
import { streamCommand, streamLogLines } from '../sources/command-stream';
import { parseResilienceLogLine } from '../sources/resilience4j';
import { sourceIdOf } from '../sources/source-id';

// What kubectl feeds the deck: `kubectl get pods -w -o json` for status,
// `kubectl logs -f -l SELECTOR --prefix` for logs (read for resilience4j
// breaker and retry lines too), and `kubectl events --watch`.

const FieldsSchema = z.looseObject({
  selector: z.string().optional(),
  namespace: z.string().optional(),
  tail: z.number().int().nonnegative().default(20),
  /** `kind: logs` shows cluster events instead of container logs when `events: true`. */
  events: z.boolean().default(false),
});

function selectorOf(spec: SourceSpec, context: SourceContext): { selector: string; namespace?: string } | null {
  const fields = FieldsSchema.parse(spec);
  const binding = spec.target ? context.environment.targets[spec.target] : context.binding;
  const selector = fields.selector ?? (typeof binding?.selector === 'string' ? binding.selector : undefined);
  const namespace = fields.namespace ?? (typeof binding?.namespace === 'string' ? binding.namespace : undefined);
  return selector ? { selector, ...(namespace ? { namespace } : {}) } : null;
}

function openStatus(id: string, config: KubectlConfig, selector: string, namespace: string | undefined, context: SourceContext): Source {
  const pods = new Map<string, Pod>();
  const emit = () => context.emit({ type: 'status', source: id, targets: [...pods.values()].map(podStatus).sort((a, b) => a.name.localeCompare(b.name)) });
  const onObject = (value: unknown) => {
    const event = z.looseObject({ type: z.string(), object: PodSchema }).safeParse(value);
    if (!event.success) return;
    if (event.data.type === 'DELETED') pods.delete(event.data.object.metadata.name);
    else pods.set(event.data.object.metadata.name, event.data.object);
    emit();
  };
  return streamCommand({
    id,
    runner: context.runner,
    signal: context.signal,
    spec: { argv: [...kubectlBase(config, namespace), 'get', 'pods', '-l', selector, '--watch', '--output-watch-events', '-o', 'json'] },
    onLine: createJsonObjectSplitter(onObject),
    onExit: (result) => context.emit({ type: 'notice', level: 'warn', text: `pod watch ${id} ended: ${result.stderr.trim() || `exit ${result.exitCode}`}` }),
  });
}

/** Starts a kubectl source: `kind: status`, `logs` (or cluster events), or `breakers` (resilience4j lines in the logs). */
export function kubectlOpenSource(spec: SourceSpec, context: SourceContext): Source | null {
  const config = parseConfig(KubectlConfigSchema, context.config, 'kubectl');
  const fields = FieldsSchema.parse(spec);
  const id = sourceIdOf(spec);
  const target = selectorOf(spec, context);
  const kubectl = kubectlBase(config, target?.namespace);
  if (spec.kind === 'logs' && fields.events) {
    return streamLogLines({ id, runner: context.runner, signal: context.signal, emit: context.emit, spec: { argv: [...kubectl, 'events', '--watch'] } });
  }
  if (!target) return null;
  if (spec.kind === 'status') return openStatus(id, config, target.selector, target.namespace, context);
  if (spec.kind !== 'logs' && spec.kind !== 'breakers') return null;
  const isBreakers = spec.kind === 'breakers';
  return streamLogLines({
    id,
    runner: context.runner,
    signal: context.signal,
    emit: context.emit,
    spec: {
      argv: [...kubectl, 'logs', '--follow', '-l', target.selector, '--prefix', '--max-log-requests', String(config.maxLogRequests), '--tail', String(fields.tail)],
    },
    transform: isBreakers ? () => null : undefined,
    observe: (line) => {
      for (const event of parseResilienceLogLine(line, id)) context.emit(event);
    },
  });
}

/** Checks the kubectl binary, the current context, the API server, and whether Chaos Mesh is installed. */
export async function kubectlDoctor(raw: Readonly<Record<string, unknown>>, runner: CommandRunner): Promise<DoctorCheck[]> {
  const config = parseConfig(KubectlConfigSchema, raw, 'kubectl');
  const kubectl = kubectlBase(config);
  const client = await runner.run({ argv: [...kubectl, 'version', '--client', '-o', 'json'], isReadOnly: true, timeoutMs: 10_000 });
  if (client.spawnError) return [{ name: 'kubectl binary', isOk: false, detail: `${config.binary} not found`, fix: 'install kubectl (https://kubernetes.io/docs/tasks/tools/) or set drivers.kubectl.binary' }];
  const version = /"gitVersion":\s*"([^"]+)"/.exec(client.stdout)?.[1] ?? 'unknown version';
  const checks: DoctorCheck[] = [{ name: 'kubectl binary', isOk: true, detail: `client ${version}` }];
  const current = await runner.run({ argv: [...kubectl, 'config', 'current-context'], isReadOnly: true, timeoutMs: 10_000 });
  const contextName = config.context ?? current.stdout.trim();
  checks.push(contextName
    ? { name: 'kubectl context', isOk: true, detail: `${contextName}${config.namespace ? `, namespace ${config.namespace}` : ''}` }
    : { name: 'kubectl context', isOk: false, detail: current.stderr.trim() || 'no current context', fix: 'kubectl config use-context NAME, or set drivers.kubectl.context' });
  const server = await runner.run({ argv: [...kubectl, 'version', '-o', 'json', '--request-timeout=5s'], isReadOnly: true, timeoutMs: 15_000 });
  const serverVersion = /"serverVersion":\s*\{[^}]*"gitVersion":\s*"([^"]+)"/.exec(server.stdout)?.[1];
  checks.push(serverVersion
    ? { name: 'Kubernetes API', isOk: true, detail: `server ${serverVersion}` }
    : { name: 'Kubernetes API', isOk: false, detail: server.stderr.trim().split('\n').pop() || 'unreachable', fix: 'check the cluster is up and your credentials are valid (kubectl get pods)' });
  if (serverVersion) {
    const chaos = await runner.run({ argv: [...kubectl, 'api-resources', '--api-group=chaos-mesh.org', '-o', 'name'], isReadOnly: true, timeoutMs: 20_000 });
    const hasChaosMesh = /networkchaos/.test(chaos.stdout);
    checks.push({ name: 'Chaos Mesh', isOk: true, detail: hasChaosMesh ? 'installed: latency, loss, partition, cpu and memory use Chaos Mesh' : 'not installed: partition uses a NetworkPolicy, latency and loss use tc through exec, cpu/memory unavailable' });
  }
  return checks;
}
