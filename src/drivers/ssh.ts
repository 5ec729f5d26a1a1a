import { z } from 'zod';
import type { Action, Verb } from '../scenario/schema';
import type { Binding } from '../scenario/environment';
import type { ActionContext, ActionOutcome, Driver, UndoSpec } from './driver';
import { durationMs, parseConfig, resourceName, unsupported } from './action-support';
import { resolveEndpoint, SshBindingSchema, SshConfigSchema, type SshBinding, type SshConfig } from './ssh-config';
import { dropInPath, renderDropIn } from './ssh-dropin';
import { runRemote, runRemoteSequence, type RemoteCommand, type RemoteTarget } from './ssh-remote';
import type { RemoteResult } from './ssh-connection';
import { sshDoctor, sshOpenSource } from './ssh-sources';
import { isNothingToDelete, netemAddCommands, netemDeleteCommand } from './netem';

// ssh to a host the trainer runs (training 000: `ssh opc@host`, CHAOS_* env,
// `sudo systemctl restart bharatmart-api`): systemctl, an environment drop-in,
// tc netem, an iptables partition and stress-ng, each with its undo.

const VERBS: readonly Verb[] = ['stop', 'start', 'restart', 'kill', 'latency', 'loss', 'partition', 'heal', 'errors', 'cpu', 'memory', 'exec'];
const DESTRUCTIVE: readonly Verb[] = ['stop', 'restart', 'kill', 'latency', 'loss', 'partition', 'errors', 'cpu', 'memory'];

interface Resolved { readonly binding: SshBinding; readonly config: SshConfig; readonly target: RemoteTarget; readonly sudo: string[] }

function resolve(context: ActionContext, params?: Readonly<Record<string, unknown>>): Resolved {
  const config = parseConfig(SshConfigSchema, context.config, 'ssh');
  const raw = context.binding ?? (params?.binding as Binding | undefined);
  const parsed = SshBindingSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`target ${context.targetName ?? '?'} (ssh): ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const binding = parsed.data;
  const endpoint = resolveEndpoint(binding.host, config, {
    ...(binding.port ? { port: binding.port } : {}),
    ...(binding.user ? { user: binding.user } : {}),
    ...(binding.fingerprint ? { fingerprint: binding.fingerprint } : {}),
    ...(binding.via ? { via: binding.via } : {}),
  });
  const useSudo = config.sudo ?? endpoint.user !== 'root';
  return { binding, config, target: { endpoint, config }, sudo: useSudo ? ['sudo', '-n'] : [] };
}

function requireUnit(binding: SshBinding, verb: string): string {
  if (!binding.unit) throw new Error(`${verb} over ssh needs \`unit\` (the systemd service) in the binding for ${binding.host}`);
  return binding.unit;
}

async function deviceOf(context: ActionContext, r: Resolved): Promise<string> {
  if (r.binding.interface) return r.binding.interface;
  const route = await runRemote(context, r.target, { argv: ['ip', '-o', 'route', 'show', 'default'], isReadOnly: true });
  const device = /\bdev\s+(\S+)/.exec(route.stdout)?.[1];
  if (!device) throw new Error(`cannot find the default network device on ${r.binding.host}; set \`interface\` in the binding`);
  return device;
}

async function readDropIn(context: ActionContext, r: Resolved, unit: string): Promise<string | null> {
  const result = await runRemote(context, r.target, { argv: ['cat', dropInPath(r.config.dropInDirectory, unit)], isReadOnly: true });
  return result.isOk ? result.stdout + '\n' : null;
}

function dropInCommands(r: Resolved, unit: string, content: string | null): RemoteCommand[] {
  const path = dropInPath(r.config.dropInDirectory, unit);
  const write: RemoteCommand[] = content === null
    ? [{ argv: [...r.sudo, 'rm', '-f', path] }]
    : [{ argv: [...r.sudo, 'mkdir', '-p', path.slice(0, path.lastIndexOf('/'))] }, { argv: [...r.sudo, 'tee', path], input: content }];
  return [...write, { argv: [...r.sudo, 'systemctl', 'daemon-reload'] }, { argv: [...r.sudo, 'systemctl', 'restart', unit] }];
}

function chaosEnv(action: Action): Record<string, string> | null {
  if (action.verb === 'restart') return action.env && Object.keys(action.env).length > 0 ? action.env : null;
  if (action.verb === 'latency') return { CHAOS_ENABLED: 'true', CHAOS_LATENCY_MS: String(action.ms) };
  if (action.verb === 'errors') return { CHAOS_ENABLED: 'true', CHAOS_ERROR_RATE: String(action.rate) };
  return null;
}

function usesDropIn(action: Action, binding: SshBinding): boolean {
  return action.verb === 'errors' || (action.verb === 'restart' && chaosEnv(action) !== null) || (action.verb === 'latency' && binding.injectVia === 'env');
}

function iptables(sudo: string[], op: 'I' | 'D', to: string, direction: 'both' | 'ingress' | 'egress'): RemoteCommand[] {
  const rules: RemoteCommand[] = [];
  if (direction !== 'ingress') rules.push({ argv: [...sudo, 'iptables', `-${op}`, 'OUTPUT', '-d', to, '-j', 'DROP'] });
  if (direction !== 'egress') rules.push({ argv: [...sudo, 'iptables', `-${op}`, 'INPUT', '-s', to, '-j', 'DROP'] });
  return rules;
}

function stressUnit(context: ActionContext, verb: string): string {
  return resourceName('chaosdeck-stress', context.targetName ?? 'target', verb);
}

async function applyAction(action: Action, context: ActionContext): Promise<ActionOutcome> {
  const r = resolve(context);
  const { sudo } = r;
  const run = (commands: RemoteCommand[]) => runRemoteSequence(context, r.target, commands);
  if (usesDropIn(action, r.binding)) {
    const unit = requireUnit(r.binding, action.verb);
    const previous = await readDropIn(context, r, unit);
    return run(dropInCommands(r, unit, renderDropIn(chaosEnv(action) ?? {}, previous)));
  }
  switch (action.verb) {
    case 'stop':
    case 'start':
    case 'restart':
      return run([{ argv: [...sudo, 'systemctl', action.verb, requireUnit(r.binding, action.verb)] }]);
    case 'kill':
      return run([{ argv: [...sudo, 'systemctl', 'kill', `--signal=${action.signal}`, requireUnit(r.binding, 'kill')] }]);
    case 'latency':
    case 'loss': {
      const device = await deviceOf(context, r);
      const spec = action.verb === 'latency' ? { device, delayMs: action.ms, jitterMs: action.jitter, to: action.to } : { device, lossPercent: action.percent, to: action.to };
      return run(netemAddCommands(spec).map((argv) => ({ argv: [...sudo, ...argv] })));
    }
    case 'partition':
      if (!action.to) return { isOk: false, error: 'partition over ssh needs `to` (an address or host to cut off)' };
      return run(iptables(sudo, 'I', action.to, action.direction ?? 'both'));
    case 'heal':
      if (!action.to) return { isOk: false, error: 'heal over ssh needs `to`' };
      return runRemoteSequence(context, r.target, iptables(sudo, 'D', action.to, 'both'), isAlreadyUndone);
    case 'cpu':
    case 'memory': {
      const seconds = `${Math.round(durationMs(action.duration, 3_600_000) / 1000)}s`;
      const stress = action.verb === 'cpu'
        ? ['stress-ng', '--cpu', String(Math.max(1, Math.round(action.cores ?? 1))), '--cpu-load', String(action.percent), '--timeout', seconds]
        : ['stress-ng', '--vm', '1', '--vm-bytes', `${action.mb}M`, '--vm-keep', '--timeout', seconds];
      return run([{ argv: [...sudo, 'systemd-run', `--unit=${stressUnit(context, action.verb)}`, '--collect', ...stress] }]);
    }
    case 'exec':
      return run([{ argv: [...(action.env ? ['env', ...Object.entries(action.env).map(([k, v]) => `${k}=${v}`)] : []), ...action.argv] }]);
    default:
      return unsupported('ssh', action.verb);
  }
}

async function prepare(action: Action, context: ActionContext): Promise<UndoSpec | null> {
  const r = resolve(context);
  const binding = context.binding ?? {};
  const undo = (verb: string, params: Record<string, unknown>, summary: string): UndoSpec => ({ verb, params: { binding, ...params }, summary });
  if (usesDropIn(action, r.binding)) {
    const unit = requireUnit(r.binding, action.verb);
    const previous = await readDropIn(context, r, unit);
    return undo('dropin', { unit, previous }, previous === null ? `remove the chaos drop-in from ${unit} and restart it` : `put back the previous drop-in of ${unit} and restart it`);
  }
  switch (action.verb) {
    case 'stop': {
      const unit = requireUnit(r.binding, 'stop');
      const state = await runRemote(context, r.target, { argv: ['systemctl', 'is-active', unit], isReadOnly: true });
      return state.stdout.trim() === 'active' ? undo('systemctl', { unit, command: 'start' }, `start ${unit} again`) : null;
    }
    case 'kill': {
      const unit = requireUnit(r.binding, 'kill');
      return undo('systemctl', { unit, command: 'start' }, `start ${unit} if it stayed down`);
    }
    case 'latency':
    case 'loss':
      return undo('netem-clear', { device: await deviceOf(context, r) }, `remove tc netem on ${r.binding.host}`);
    case 'partition':
      return action.to ? undo('iptables-delete', { to: action.to, direction: action.direction ?? 'both' }, `remove the DROP rules for ${action.to} on ${r.binding.host}`) : null;
    case 'cpu':
    case 'memory':
      return undo('stop-unit', { unit: stressUnit(context, action.verb) }, `stop stress-ng on ${r.binding.host}`);
    case 'exec':
      return action.undo ? undo('exec', { argv: action.undo }, `run ${action.undo.join(' ')} on ${r.binding.host}`) : null;
    default:
      return null;
  }
}

const isAlreadyUndone = (result: RemoteResult) =>
  isNothingToDelete(result.stderr) || /Bad rule|does a matching rule exist|not loaded|No such file/i.test(result.stderr) || result.exitCode === 5;

const UndoParamsSchema = z.looseObject({
  unit: z.string().default(''),
  command: z.enum(['start', 'stop']).default('start'),
  previous: z.string().nullable().default(null),
  device: z.string().default('eth0'),
  to: z.string().default(''),
  direction: z.enum(['both', 'ingress', 'egress']).default('both'),
  argv: z.array(z.string()).default([]),
});

async function undoAction(undo: UndoSpec, context: ActionContext): Promise<ActionOutcome> {
  const r = resolve(context, undo.params);
  const p = UndoParamsSchema.parse(undo.params);
  const { sudo } = r;
  const run = (commands: RemoteCommand[]) => runRemoteSequence(context, r.target, commands, isAlreadyUndone);
  switch (undo.verb) {
    case 'systemctl':
      return run([{ argv: [...sudo, 'systemctl', p.command, p.unit] }]);
    case 'dropin':
      return run(dropInCommands(r, p.unit, p.previous));
    case 'netem-clear':
      return run([{ argv: [...sudo, ...netemDeleteCommand(p.device)] }]);
    case 'iptables-delete':
      return run(iptables(sudo, 'D', p.to, p.direction));
    case 'stop-unit':
      return run([{ argv: [...sudo, 'systemctl', 'stop', p.unit] }]);
    case 'exec':
      return runRemoteSequence(context, r.target, [{ argv: p.argv }]);
    default:
      return { isOk: false, error: `unknown ssh undo ${undo.verb}` };
  }
}

function describe(action: Action, binding: Binding | null): string {
  const host = typeof binding?.host === 'string' ? binding.host : 'host';
  const unit = typeof binding?.unit === 'string' ? binding.unit : host;
  switch (action.verb) {
    case 'stop': case 'start': case 'restart':
      return action.verb === 'restart' && action.env ? `restart ${unit} with ${Object.entries(action.env).map(([k, v]) => `${k}=${v}`).join(' ')}` : `${action.verb} ${unit} on ${host}`;
    case 'kill': return `kill ${unit} on ${host} (${action.signal})`;
    case 'latency': return binding?.injectVia === 'env' ? `restart ${unit} with CHAOS_LATENCY_MS=${action.ms}` : `add ${action.ms} ms latency on ${host}`;
    case 'loss': return `drop ${action.percent} % of packets on ${host}`;
    case 'partition': return `cut ${host} off from ${action.to ?? '?'}`;
    case 'errors': return `restart ${unit} with CHAOS_ERROR_RATE=${action.rate}`;
    case 'cpu': return `stress-ng ${action.percent} % CPU on ${host}`;
    case 'memory': return `stress-ng ${action.mb} MB on ${host}`;
    case 'exec': return `run ${action.argv.join(' ')} on ${host}`;
    default: return `${action.verb} on ${host}`;
  }
}

// The ssh driver: one host (and usually one systemd unit) per target.
export const sshDriver: Driver = {
  name: 'ssh',
  verbs: new Set(VERBS),
  destructiveVerbs: new Set(DESTRUCTIVE),
  bindingSchema: SshBindingSchema,
  configSchema: SshConfigSchema,
  describe,
  prepareUndo: prepare,
  apply: applyAction,
  undo: undoAction,
  openSource: sshOpenSource,
  doctor: sshDoctor,
};
