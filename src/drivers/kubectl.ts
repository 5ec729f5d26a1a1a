import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Action, Verb } from '../scenario/schema';
import type { Binding } from '../scenario/environment';
import type { ActionContext, ActionOutcome, Driver, UndoSpec } from './driver';
import type { CommandResult, CommandSpec } from './exec';
import { outcomeOf, parseBinding, parseConfig, resourceName, runSequence, unsupported } from './action-support';
import { KubectlBindingSchema, KubectlConfigSchema, kubectlBase, parseSelector, type KubectlBinding, type KubectlConfig } from './kubectl-config';
import { manifestYaml, networkChaos, networkPolicyPartition, chaosMeshManifest, resourceOf, stressChaos, type Manifest } from './kubectl-manifests';
import { parsePodList, pickPods } from './kubectl-pods';
import { kubectlDoctor, kubectlOpenSource } from './kubectl-sources';
import { kubectlUndo, type KubectlUndoParams } from './kubectl-undo';
import { isNothingToDelete, netemAddCommands } from './netem';

// kubectl as a trainer uses it (training 001): delete pods by selector with a
// blast radius, scale with undo to the replicas read first, rollout restart or
// `set env`, a NetworkPolicy partition, tc through exec, and Chaos Mesh
// experiments (NetworkChaos, StressChaos, any kind through `chaos`) whenever
// `kubectl api-resources` shows the cluster has them.

const VERBS: readonly Verb[] = ['stop', 'start', 'restart', 'kill', 'scale', 'latency', 'loss', 'partition', 'heal', 'cpu', 'memory', 'chaos', 'exec'];
const DESTRUCTIVE: readonly Verb[] = ['stop', 'restart', 'kill', 'scale', 'partition', 'latency', 'loss', 'cpu', 'memory', 'chaos'];

const chaosMeshCache = new Map<string, { hasIt: boolean; at: number }>();

/** True when the cluster serves chaos-mesh.org kinds (cached for a minute per context). */
async function hasChaosMesh(context: ActionContext, config: KubectlConfig): Promise<boolean> {
  if (config.chaosMesh !== 'auto') return config.chaosMesh === 'always';
  const key = `${config.kubeconfig ?? ''}|${config.context ?? ''}`;
  const cached = chaosMeshCache.get(key);
  if (cached && Date.now() - cached.at < 60_000) return cached.hasIt;
  const result = await context.run({ argv: [...kubectlBase(config), 'api-resources', '--api-group=chaos-mesh.org', '-o', 'name'], isReadOnly: true, timeoutMs: 20_000 });
  const hasIt = result.isOk && /networkchaos\.chaos-mesh\.org/.test(result.stdout);
  chaosMeshCache.set(key, { hasIt, at: Date.now() });
  return hasIt;
}

function namespaceOf(binding: KubectlBinding, config: KubectlConfig): string {
  return binding.namespace ?? config.namespace ?? 'default';
}

/** The peer of a partition or a targeted delay: another logical target's selector, or a selector written inline. */
function peerLabels(to: string | undefined, context: ActionContext): Record<string, string> | undefined {
  if (!to) return undefined;
  const peer = context.environment.targets[to];
  if (peer && typeof peer.selector === 'string') return parseSelector(peer.selector);
  return parseSelector(to);
}

async function listPods(context: ActionContext, config: KubectlConfig, binding: KubectlBinding) {
  const result = await context.run({ argv: [...kubectlBase(config, binding.namespace), 'get', 'pods', '-l', binding.selector, '-o', 'json'], isReadOnly: true });
  if (!result.isOk) throw new Error(`cannot list pods ${binding.selector}: ${result.stderr.trim()}`);
  return parsePodList(result.stdout);
}

async function readDeployment(context: ActionContext, config: KubectlConfig, binding: KubectlBinding) {
  const deployment = requireDeployment(binding);
  const result = await context.run({ argv: [...kubectlBase(config, binding.namespace), 'get', 'deployment', deployment, '-o', 'json'], isReadOnly: true });
  if (!result.isOk) throw new Error(`cannot read deployment ${deployment}: ${result.stderr.trim()}`);
  return DeploymentSchema.parse(JSON.parse(result.stdout));
}

const DeploymentSchema = z.looseObject({
  spec: z.looseObject({
    replicas: z.number().int().default(1),
    template: z.looseObject({
      spec: z.looseObject({ containers: z.array(z.looseObject({ name: z.string(), env: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).optional() })) }),
    }),
  }),
});

function requireDeployment(binding: KubectlBinding): string {
  if (!binding.deployment) throw new Error(`this verb needs \`deployment\` in the kubectl binding (selector ${binding.selector})`);
  return binding.deployment;
}

/** A fault manifest for a verb, when the verb is expressed as one; null when it is done with plain commands. */
function manifestFor(action: Action, binding: KubectlBinding, config: KubectlConfig, context: ActionContext, isChaosMesh: boolean): Manifest | null {
  const namespace = namespaceOf(binding, config);
  const labels = parseSelector(binding.selector);
  const name = resourceName('chaosdeck', action.verb, context.targetName ?? 'target');
  const radius = binding.blastRadius;
  switch (action.verb) {
    case 'latency':
      return isChaosMesh ? networkChaos({ name, namespace, labels, radius, peer: peerLabels(action.to, context), fault: { action: 'delay', latencyMs: action.ms, jitterMs: action.jitter } }) : null;
    case 'loss':
      return isChaosMesh ? networkChaos({ name, namespace, labels, radius, peer: peerLabels(action.to, context), fault: { action: 'loss', percent: action.percent } }) : null;
    case 'partition': {
      const direction = action.direction ?? 'both';
      if (isChaosMesh) {
        const fault = { action: 'partition' as const, direction: direction === 'egress' ? ('to' as const) : direction === 'ingress' ? ('from' as const) : ('both' as const) };
        return networkChaos({ name, namespace, labels, radius: 'all', peer: peerLabels(action.to, context), fault });
      }
      return networkPolicyPartition({ name, namespace, labels, peer: peerLabels(action.to, context), direction });
    }
    case 'cpu':
    case 'memory': {
      if (!isChaosMesh) throw new Error(`${action.verb} on Kubernetes needs Chaos Mesh (StressChaos); \`kubectl api-resources --api-group=chaos-mesh.org\` lists none`);
      const duration = action.duration === undefined ? undefined : typeof action.duration === 'number' ? `${action.duration}s` : action.duration;
      return action.verb === 'cpu'
        ? stressChaos({ name, namespace, labels, radius, duration, cpu: { workers: Math.max(1, Math.round(action.cores ?? 1)), load: action.percent } })
        : stressChaos({ name, namespace, labels, radius, duration, memoryMb: action.mb });
    }
    case 'chaos': {
      const duration = action.duration === undefined ? {} : { duration: typeof action.duration === 'number' ? `${action.duration}s` : action.duration };
      return chaosMeshManifest(action.kind, resourceName('chaosdeck', action.kind, context.targetName ?? 'target'), namespace, {
        selector: { namespaces: [namespace], labelSelectors: labels },
        ...chaosModeDefaults(action.spec, binding),
        ...action.spec,
        ...duration,
      });
    }
    default:
      return null;
  }
}

function chaosModeDefaults(spec: Record<string, unknown>, binding: KubectlBinding): Record<string, unknown> {
  if ('mode' in spec) return {};
  const radius = binding.blastRadius;
  return radius === 'one' || radius === 'all' ? { mode: radius } : typeof radius === 'number' ? { mode: 'fixed', value: String(radius) } : { mode: 'fixed-percent', value: radius.slice(0, -1) };
}

async function applyManifest(context: ActionContext, config: KubectlConfig, manifest: Manifest): Promise<ActionOutcome> {
  const directory = join(context.stateDir, 'kubectl');
  await mkdir(directory, { recursive: true });
  const file = join(directory, `${manifest.metadata.name}.yaml`);
  await writeFile(file, manifestYaml(manifest));
  const validate = config.validate ? [] : ['--validate=false'];
  return outcomeOf(await context.run({ argv: [...kubectlBase(config, manifest.metadata.namespace), 'apply', ...validate, '-f', file] }));
}

async function commandsFor(action: Action, binding: KubectlBinding, config: KubectlConfig, context: ActionContext): Promise<CommandSpec[] | ActionOutcome> {
  const kubectl = kubectlBase(config, binding.namespace);
  const inContainer = binding.container ? ['-c', binding.container] : [];
  switch (action.verb) {
    case 'kill':
    case 'stop': {
      if (action.verb === 'stop' && binding.deployment) return [{ argv: [...kubectl, 'scale', `deployment/${binding.deployment}`, '--replicas=0'] }];
      const pods = pickPods(await listPods(context, config, binding), binding.blastRadius);
      if (pods.length === 0) return { isOk: false, error: `no running pods match ${binding.selector}` };
      const force = action.verb === 'kill' && action.signal === 'SIGKILL' ? ['--grace-period=0', '--force'] : [];
      return [{ argv: [...kubectl, 'delete', 'pod', ...pods.map((p) => p.metadata.name), '--wait=false', ...force] }];
    }
    case 'start':
      return [{ argv: [...kubectl, 'scale', `deployment/${requireDeployment(binding)}`, `--replicas=${binding.replicas}`] }];
    case 'scale':
      return [{ argv: [...kubectl, 'scale', `deployment/${requireDeployment(binding)}`, `--replicas=${action.replicas}`] }];
    case 'restart': {
      const deployment = `deployment/${requireDeployment(binding)}`;
      const env = Object.entries(action.env ?? {});
      if (env.length === 0) return [{ argv: [...kubectl, 'rollout', 'restart', deployment] }];
      return [{ argv: [...kubectl, 'set', 'env', deployment, ...(binding.container ? ['-c', binding.container] : []), ...env.map(([k, v]) => `${k}=${v}`)] }];
    }
    case 'heal': {
      const name = resourceName('chaosdeck', 'partition', context.targetName ?? 'target');
      const kinds = (await hasChaosMesh(context, config)) ? ['networkpolicy', 'networkchaos.chaos-mesh.org'] : ['networkpolicy'];
      return kinds.map((kind) => ({ argv: [...kubectl, 'delete', kind, name, '--ignore-not-found'] }));
    }
    case 'latency':
    case 'loss': {
      const pods = pickPods(await listPods(context, config, binding), binding.blastRadius);
      if (pods.length === 0) return { isOk: false, error: `no running pods match ${binding.selector}` };
      const netem = action.verb === 'latency'
        ? { device: binding.interface, delayMs: action.ms, jitterMs: action.jitter, to: action.to }
        : { device: binding.interface, lossPercent: action.percent, to: action.to };
      return pods.flatMap((pod) => netemAddCommands(netem).map((argv) => ({ argv: [...kubectl, 'exec', pod.metadata.name, ...inContainer, '--', ...argv] })));
    }
    case 'exec': {
      const pod = (await listPods(context, config, binding))[0];
      if (!pod) return { isOk: false, error: `no pods match ${binding.selector}` };
      return [{ argv: [...kubectl, 'exec', pod.metadata.name, ...inContainer, '--', ...action.argv] }];
    }
    default:
      return unsupported('kubectl', action.verb);
  }
}

async function prepare(action: Action, context: ActionContext): Promise<UndoSpec | null> {
  const binding = parseBinding(KubectlBindingSchema, context, 'kubectl');
  const config = parseConfig(KubectlConfigSchema, context.config, 'kubectl');
  const namespace = namespaceOf(binding, config);
  const undo = (params: KubectlUndoParams, verb: string, summary: string): UndoSpec => ({ verb, params: { namespace, ...params }, summary });
  switch (action.verb) {
    case 'scale':
    case 'stop': {
      if (action.verb === 'stop' && !binding.deployment) return null;
      const deployment = await readDeployment(context, config, binding);
      return undo({ deployment: binding.deployment, replicas: deployment.spec.replicas }, 'scale', `scale ${binding.deployment} back to ${deployment.spec.replicas}`);
    }
    case 'restart': {
      if (!action.env || Object.keys(action.env).length === 0) return null;
      const deployment = await readDeployment(context, config, binding);
      const containers = deployment.spec.template.spec.containers;
      const container = containers.find((c) => c.name === binding.container) ?? containers[0];
      const previous = Object.fromEntries(Object.keys(action.env).map((key) => [key, container?.env?.find((e) => e.name === key)?.value ?? null]));
      return undo({ deployment: binding.deployment, container: binding.container, env: previous }, 'set-env', `restore ${Object.keys(previous).join(', ')} on ${binding.deployment}`);
    }
    case 'latency':
    case 'loss':
    case 'partition':
    case 'cpu':
    case 'memory':
    case 'chaos': {
      const manifest = manifestFor(action, binding, config, context, await hasChaosMesh(context, config));
      if (manifest) return undo({ resource: resourceOf(manifest), name: manifest.metadata.name }, 'delete', `delete ${manifest.kind} ${manifest.metadata.name}`);
      return undo({ selector: binding.selector, device: binding.interface, container: binding.container }, 'tc-clear', `remove tc netem from pods ${binding.selector}`);
    }
    case 'exec':
      return action.undo ? undo({ selector: binding.selector, container: binding.container, argv: action.undo }, 'exec', `run ${action.undo.join(' ')}`) : null;
    default:
      return null;
  }
}

function describe(action: Action, binding: Binding | null): string {
  const selector = typeof binding?.selector === 'string' ? binding.selector : 'pods';
  const radius = binding?.blastRadius ?? 'one';
  switch (action.verb) {
    case 'kill': return `delete ${radius === 'all' ? 'all pods' : `${radius} pod(s)`} ${selector}${action.signal === 'SIGKILL' ? ' (force)' : ''}`;
    case 'stop': return binding?.deployment ? `scale ${String(binding.deployment)} to 0` : `delete ${String(radius)} pod(s) ${selector}`;
    case 'scale': return `scale ${String(binding?.deployment ?? selector)} to ${action.replicas}`;
    case 'latency': return `add ${action.ms} ms latency to ${selector}${action.to ? ` towards ${action.to}` : ''}`;
    case 'loss': return `drop ${action.percent} % of packets of ${selector}`;
    case 'partition': return `cut ${selector} off${action.to ? ` from ${action.to}` : ''}`;
    case 'chaos': return `apply ${action.kind} to ${selector}`;
    case 'restart': return action.env ? `set ${Object.keys(action.env).join(', ')} on ${String(binding?.deployment ?? selector)}` : `rollout restart ${String(binding?.deployment ?? selector)}`;
    default: return `${action.verb} ${selector}`;
  }
}

const isAlreadyUndone = (result: CommandResult) => isNothingToDelete(result.stderr) || /NotFound|not found/i.test(result.stderr);

// The kubectl driver: a target is a label selector in a namespace.
export const kubectlDriver: Driver = {
  name: 'kubectl',
  verbs: new Set(VERBS),
  destructiveVerbs: new Set(DESTRUCTIVE),
  bindingSchema: KubectlBindingSchema,
  configSchema: KubectlConfigSchema,
  describe,
  prepareUndo: prepare,
  async apply(action, context) {
    const binding = parseBinding(KubectlBindingSchema, context, 'kubectl');
    const config = parseConfig(KubectlConfigSchema, context.config, 'kubectl');
    if (['latency', 'loss', 'partition', 'cpu', 'memory', 'chaos'].includes(action.verb)) {
      const manifest = manifestFor(action, binding, config, context, await hasChaosMesh(context, config));
      if (manifest) return applyManifest(context, config, manifest);
    }
    const commands = await commandsFor(action, binding, config, context);
    if (!Array.isArray(commands)) return commands;
    return runSequence(context, commands, action.verb === 'heal' ? isAlreadyUndone : undefined);
  },
  async undo(undo, context) {
    const config = parseConfig(KubectlConfigSchema, context.config, 'kubectl');
    return kubectlUndo(undo, context, config, isAlreadyUndone);
  },
  openSource: kubectlOpenSource,
  doctor: kubectlDoctor,
};
