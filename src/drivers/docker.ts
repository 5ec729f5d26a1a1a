import { z } from 'zod';
import type { Action, Verb } from '../scenario/schema';
import type { Binding } from '../scenario/environment';
import type { ActionContext, ActionOutcome, Driver, UndoSpec } from './driver';
import type { CommandResult, CommandSpec } from './exec';
import { durationMs, outcomeOf, parseBinding, parseConfig, runSequence, unsupported } from './action-support';
import { cpuLimitArgs, cpuRestoreArgs, memoryRestoreArgs, networksOf, parseInspect, type ContainerInspect } from './docker-inspect';
import { dockerDoctor, dockerOpenSource } from './docker-sources';
import { DockerBindingSchema, DockerConfigSchema, dockerBase, type DockerBinding, type DockerConfig } from './docker-config';
import { isNothingToDelete, netemAddCommands, netemDeleteCommand } from './netem';

// The docker CLI, exactly as a trainer types it (training 002 and 003): stop,
// start, kill, pause, network disconnect/connect, `update --cpus/--memory`,
// `exec … tc qdisc … netem`, iptables and stress-ng inside a container.

const VERBS: readonly Verb[] = ['stop', 'start', 'restart', 'kill', 'pause', 'unpause', 'disconnect', 'connect', 'latency', 'loss', 'partition', 'heal', 'cpu', 'memory', 'exec'];
const DESTRUCTIVE: readonly Verb[] = ['stop', 'restart', 'kill', 'pause', 'disconnect', 'partition', 'memory', 'cpu'];

async function inspect(context: ActionContext, config: DockerConfig, container: string): Promise<ContainerInspect> {
  const result = await context.run({ argv: [...dockerBase(config), 'inspect', container], isReadOnly: true });
  const found = parseInspect(result.stdout)[0];
  if (!found) throw new Error(`cannot inspect container ${container}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
  return found;
}

async function hostMemory(context: ActionContext, config: DockerConfig): Promise<number> {
  const result = await context.run({ argv: [...dockerBase(config), 'info', '--format', '{{.MemTotal}}'], isReadOnly: true });
  const bytes = Number(result.stdout.trim());
  if (!result.isOk || !Number.isFinite(bytes) || bytes <= 0) throw new Error(`cannot read the docker host's memory to restore an unlimited container: ${result.stderr.trim()}`);
  return bytes;
}

function iptablesRules(action: 'I' | 'D', to: string, direction: 'both' | 'ingress' | 'egress'): string[][] {
  const rules: string[][] = [];
  if (direction !== 'ingress') rules.push(['iptables', `-${action}`, 'OUTPUT', '-d', to, '-j', 'DROP']);
  if (direction !== 'egress') rules.push(['iptables', `-${action}`, 'INPUT', '-s', to, '-j', 'DROP']);
  return rules;
}

const isAlreadyUndone = (result: CommandResult) =>
  isNothingToDelete(result.stderr) ||
  /is not paused|is not connected|already exists in network|endpoint with name .* already exists|Bad rule|does a matching rule exist|No chain\/target\/match/i.test(result.stderr) ||
  (result.argv.includes('pkill') && result.exitCode === 1);

function applyCommands(action: Action, binding: DockerBinding, config: DockerConfig, previous: ContainerInspect | null): CommandSpec[] | ActionOutcome {
  const docker = dockerBase(config);
  const c = binding.container;
  const inContainer = (argv: string[]) => ({ argv: [...docker, 'exec', c, ...argv] });
  switch (action.verb) {
    case 'stop':
      return [{ argv: [...docker, 'stop', ...(config.stopTimeout === undefined ? [] : ['--time', String(config.stopTimeout)]), c] }];
    case 'start':
    case 'pause':
    case 'unpause':
      return [{ argv: [...docker, action.verb, c] }];
    case 'restart':
      if (action.env && Object.keys(action.env).length > 0) {
        return { isOk: false, error: 'docker cannot change a running container\'s environment; recreate it with compose, or bind this target to ssh/kubectl' };
      }
      return [{ argv: [...docker, 'restart', c] }];
    case 'kill':
      return [{ argv: [...docker, 'kill', '--signal', action.signal, c] }];
    case 'disconnect':
      return [{ argv: [...docker, 'network', 'disconnect', action.network, c] }];
    case 'connect':
      return [{ argv: [...docker, 'network', 'connect', action.network, c] }];
    case 'latency':
      return netemAddCommands({ device: binding.interface, delayMs: action.ms, jitterMs: action.jitter, to: action.to }).map(inContainer);
    case 'loss':
      return netemAddCommands({ device: binding.interface, lossPercent: action.percent, to: action.to }).map(inContainer);
    case 'partition':
      if (action.to) return iptablesRules('I', action.to, action.direction ?? 'both').map(inContainer);
      return (previous ? networksOf(previous) : []).map((n) => ({ argv: [...docker, 'network', 'disconnect', n, c] }));
    case 'heal':
      if (action.to) return iptablesRules('D', action.to, 'both').map(inContainer);
      if (!binding.networks?.length) return { isOk: false, error: 'heal on docker needs `to`, or `networks` in the binding; restore undoes a partition by itself' };
      return binding.networks.map((n) => ({ argv: [...docker, 'network', 'connect', n, c] }));
    case 'cpu': {
      const seconds = Math.round(durationMs(action.duration, 3_600_000) / 1000);
      if (binding.resources === 'stress') {
        return [{ argv: [...docker, 'exec', '-d', c, 'stress-ng', '--cpu', String(action.cores ?? 1), '--cpu-load', String(action.percent), '--timeout', `${seconds}s`] }];
      }
      const cpus = action.cores ?? action.percent / 100;
      return [{ argv: [...docker, 'update', ...cpuLimitArgs(previous?.HostConfig ?? { NanoCpus: 0, CpuQuota: 0, CpuPeriod: 0, Memory: 0, MemorySwap: 0 }, cpus), c] }];
    }
    case 'memory': {
      if (binding.resources === 'stress') {
        const seconds = Math.round(durationMs(action.duration, 3_600_000) / 1000);
        return [{ argv: [...docker, 'exec', '-d', c, 'stress-ng', '--vm', '1', '--vm-bytes', `${action.mb}M`, '--vm-keep', '--timeout', `${seconds}s`] }];
      }
      return [{ argv: [...docker, 'update', '--memory', `${action.mb}m`, '--memory-swap', `${action.mb}m`, c] }];
    }
    case 'exec':
      return [{ argv: [...docker, 'exec', ...Object.entries(action.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]), c, ...action.argv] }];
    default:
      return unsupported('docker', action.verb);
  }
}

function needsInspect(action: Action, binding: DockerBinding): boolean {
  if (action.verb === 'partition') return !action.to;
  if (action.verb === 'cpu' || action.verb === 'memory') return binding.resources === 'limit';
  return ['stop', 'pause', 'disconnect'].includes(action.verb);
}

// start, unpause, connect and heal are themselves restorative: they have no
// undo, so a restore step that starts a container is never reverted at the end.
function undoFor(action: Action, binding: DockerBinding, previous: ContainerInspect | null, hostMemoryBytes: number): UndoSpec | null {
  const container = binding.container;
  const running = previous?.State.Running === true;
  switch (action.verb) {
    case 'stop':
      return running ? { verb: 'start', params: { container }, summary: `start ${container} again` } : null;
    case 'kill':
      return { verb: 'start', params: { container }, summary: `start ${container} again` };
    case 'pause':
      return previous?.State.Paused ? null : { verb: 'unpause', params: { container }, summary: `unpause ${container}` };
    case 'disconnect':
      return previous && networksOf(previous).includes(action.network)
        ? { verb: 'connect', params: { container, networks: [action.network] }, summary: `reconnect ${container} to ${action.network}` }
        : null;
    case 'latency':
    case 'loss':
      return { verb: 'netem-clear', params: { container, device: binding.interface }, summary: `remove tc netem from ${container}` };
    case 'partition':
      if (action.to) return { verb: 'iptables-delete', params: { container, to: action.to, direction: action.direction ?? 'both' }, summary: `remove the DROP rules for ${action.to} in ${container}` };
      return { verb: 'connect', params: { container, networks: previous ? networksOf(previous) : [] }, summary: `reconnect ${container} to its networks` };
    case 'cpu':
    case 'memory':
      if (binding.resources === 'stress') return { verb: 'stress-stop', params: { container }, summary: `stop stress-ng in ${container}` };
      return {
        verb: 'update',
        params: { container, args: action.verb === 'cpu' ? cpuRestoreArgs(previous!.HostConfig) : memoryRestoreArgs(previous!.HostConfig, hostMemoryBytes) },
        summary: `restore ${container}'s ${action.verb === 'cpu' ? 'CPU' : 'memory'} limit`,
      };
    case 'exec':
      return action.undo ? { verb: 'exec', params: { container, argv: action.undo }, summary: `run ${action.undo.join(' ')} in ${container}` } : null;
    default:
      return null;
  }
}

const UndoParamsSchema = z.looseObject({
  container: z.string(),
  networks: z.array(z.string()).default([]),
  device: z.string().default('eth0'),
  to: z.string().optional(),
  direction: z.enum(['both', 'ingress', 'egress']).default('both'),
  args: z.array(z.string()).default([]),
  argv: z.array(z.string()).default([]),
});

function undoCommands(undo: UndoSpec, config: DockerConfig): CommandSpec[] {
  const docker = dockerBase(config);
  const p = UndoParamsSchema.parse(undo.params);
  const c = p.container;
  switch (undo.verb) {
    case 'start':
    case 'stop':
    case 'pause':
    case 'unpause':
      return [{ argv: [...docker, undo.verb, c] }];
    case 'connect':
    case 'disconnect':
      return p.networks.map((n) => ({ argv: [...docker, 'network', undo.verb, n, c] }));
    case 'netem-clear':
      return [{ argv: [...docker, 'exec', c, ...netemDeleteCommand(p.device)] }];
    case 'iptables-delete':
      return iptablesRules('D', p.to ?? '', p.direction).map((argv) => ({ argv: [...docker, 'exec', c, ...argv] }));
    case 'update':
      return [{ argv: [...docker, 'update', ...p.args, c] }];
    case 'stress-stop':
      return [{ argv: [...docker, 'exec', c, 'pkill', 'stress-ng'] }];
    case 'exec':
      return [{ argv: [...docker, 'exec', c, ...p.argv] }];
    default:
      throw new Error(`unknown docker undo ${undo.verb}`);
  }
}

function describe(action: Action, binding: Binding | null): string {
  const c = typeof binding?.container === 'string' ? binding.container : 'container';
  switch (action.verb) {
    case 'kill': return `docker kill ${c} (${action.signal})`;
    case 'latency': return `add ${action.ms} ms latency in ${c}${action.to ? ` towards ${action.to}` : ''}`;
    case 'loss': return `drop ${action.percent} % of packets in ${c}`;
    case 'partition': return action.to ? `cut ${c} off from ${action.to}` : `disconnect ${c} from its networks`;
    case 'cpu': return binding?.resources === 'stress' ? `load ${c}'s CPU to ${action.percent} %` : `limit ${c} to ${action.cores ?? action.percent / 100} CPUs`;
    case 'memory': return binding?.resources === 'stress' ? `allocate ${action.mb} MB in ${c}` : `limit ${c} to ${action.mb} MB of memory`;
    case 'disconnect': return `disconnect ${c} from ${action.network}`;
    case 'connect': return `connect ${c} to ${action.network}`;
    case 'exec': return `run ${action.argv.join(' ')} in ${c}`;
    default: return `${action.verb} ${c}`;
  }
}

// The docker driver: one container per target.
export const dockerDriver: Driver = {
  name: 'docker',
  verbs: new Set(VERBS),
  destructiveVerbs: new Set(DESTRUCTIVE),
  bindingSchema: DockerBindingSchema,
  configSchema: DockerConfigSchema,
  describe,
  async prepareUndo(action, context) {
    const binding = parseBinding(DockerBindingSchema, context, 'docker');
    const config = parseConfig(DockerConfigSchema, context.config, 'docker');
    const previous = needsInspect(action, binding) ? await inspect(context, config, binding.container) : null;
    const isUnlimited = action.verb === 'memory' && previous !== null && previous.HostConfig.Memory <= 0;
    return undoFor(action, binding, previous, isUnlimited ? await hostMemory(context, config) : 0);
  },
  async apply(action, context) {
    const binding = parseBinding(DockerBindingSchema, context, 'docker');
    const config = parseConfig(DockerConfigSchema, context.config, 'docker');
    const previous = needsInspect(action, binding) && (action.verb === 'partition' || action.verb === 'cpu')
      ? await inspect(context, config, binding.container)
      : null;
    const commands = applyCommands(action, binding, config, previous);
    if (!Array.isArray(commands)) return commands;
    if (commands.length === 1) return outcomeOf(await context.run(commands[0]!));
    return runSequence(context, commands);
  },
  async undo(undo, context) {
    const config = parseConfig(DockerConfigSchema, context.config, 'docker');
    return runSequence(context, undoCommands(undo, config), isAlreadyUndone);
  },
  openSource: dockerOpenSource,
  doctor: dockerDoctor,
};
