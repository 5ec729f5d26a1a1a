import type { Action, Verb } from '../scenario/schema';
import type { Binding } from '../scenario/environment';
import type { ActionContext, ActionOutcome, Driver, UndoSpec } from './driver';
import { outcomeOf, parseBinding, parseConfig, unsupported } from './action-support';
import { BackendSchema, InstanceSchema, OciBindingSchema, OciConfigSchema, ociBase, ociError, parseOci, type OciBinding, type OciConfig } from './oci-cli';
import { ociDoctor, ociOpenSource } from './oci-sources';

// The OCI CLI as in training 000: stop and start a backend instance with
// --wait-for-state, drain a load-balancer backend (the undo restores the
// drain, weight, backup and offline values read first). Monitoring metrics and
// alarm status come in through the sources.

const VERBS: readonly Verb[] = ['stop', 'start', 'restart', 'drain'];
const DESTRUCTIVE: readonly Verb[] = ['stop', 'restart', 'drain'];

function requireInstance(binding: OciBinding): string {
  if (!binding.instance) throw new Error('this verb needs `instance` (an instance OCID) in the oci binding');
  return binding.instance;
}

function backendOf(binding: OciBinding, action?: Action): { loadBalancer: string; backendSet: string; backend: string } {
  const backend = (action?.verb === 'drain' ? action.backend : undefined) ?? binding.backend;
  if (!binding.loadBalancer || !binding.backendSet || !backend) throw new Error('drain needs `loadBalancer`, `backendSet` and `backend` (ip:port) in the oci binding');
  return { loadBalancer: binding.loadBalancer, backendSet: binding.backendSet, backend };
}

function instanceAction(config: OciConfig, instance: string, verb: 'STOP' | 'START' | 'SOFTRESET', state: 'STOPPED' | 'RUNNING'): string[] {
  return [...ociBase(config), 'compute', 'instance', 'action', '--instance-id', instance, '--action', verb, '--wait-for-state', state, '--max-wait-seconds', String(config.maxWaitSeconds)];
}

function backendUpdate(config: OciConfig, where: ReturnType<typeof backendOf>, values: { drain: boolean; weight: number; backup: boolean; offline: boolean }): string[] {
  return [
    ...ociBase(config), 'lb', 'backend', 'update',
    '--load-balancer-id', where.loadBalancer, '--backend-set-name', where.backendSet, '--backend-name', where.backend,
    '--drain', String(values.drain), '--weight', String(values.weight), '--backup', String(values.backup), '--offline', String(values.offline),
    '--wait-for-state', 'SUCCEEDED', '--max-wait-seconds', String(config.maxWaitSeconds),
  ];
}

async function readInstanceState(context: ActionContext, config: OciConfig, instance: string): Promise<string> {
  const result = await context.run({ argv: [...ociBase(config), 'compute', 'instance', 'get', '--instance-id', instance], isReadOnly: true });
  const parsed = parseOci(InstanceSchema, result.stdout);
  if (!result.isOk || !parsed) throw new Error(`cannot read instance ${instance}: ${ociError(result.stderr) || 'unexpected output'}`);
  return parsed.data['lifecycle-state'];
}

async function readBackend(context: ActionContext, config: OciConfig, where: ReturnType<typeof backendOf>) {
  const result = await context.run({
    argv: [...ociBase(config), 'lb', 'backend', 'get', '--load-balancer-id', where.loadBalancer, '--backend-set-name', where.backendSet, '--backend-name', where.backend],
    isReadOnly: true,
  });
  const parsed = parseOci(BackendSchema, result.stdout);
  if (!result.isOk || !parsed) throw new Error(`cannot read backend ${where.backend}: ${ociError(result.stderr) || 'unexpected output'}`);
  return parsed.data;
}

async function apply(action: Action, context: ActionContext): Promise<ActionOutcome> {
  const binding = parseBinding(OciBindingSchema, context, 'oci');
  const config = parseConfig(OciConfigSchema, context.config, 'oci');
  const run = async (argv: string[]) => {
    const result = await context.run({ argv, timeoutMs: (config.maxWaitSeconds + 60) * 1000 });
    const outcome = outcomeOf(result);
    return outcome.isOk ? outcome : { ...outcome, error: ociError(result.stderr) || outcome.error };
  };
  switch (action.verb) {
    case 'stop':
      return run(instanceAction(config, requireInstance(binding), 'STOP', 'STOPPED'));
    case 'start':
      return run(instanceAction(config, requireInstance(binding), 'START', 'RUNNING'));
    case 'restart':
      return run(instanceAction(config, requireInstance(binding), 'SOFTRESET', 'RUNNING'));
    case 'drain': {
      const where = backendOf(binding, action);
      const current = await readBackend(context, config, where);
      return run(backendUpdate(config, where, { ...current, drain: true }));
    }
    default:
      return unsupported('oci', action.verb);
  }
}

async function prepareUndo(action: Action, context: ActionContext): Promise<UndoSpec | null> {
  const binding = parseBinding(OciBindingSchema, context, 'oci');
  const config = parseConfig(OciConfigSchema, context.config, 'oci');
  if (action.verb === 'stop') {
    const instance = requireInstance(binding);
    const state = await readInstanceState(context, config, instance);
    return state === 'RUNNING' ? { verb: 'start', params: { instance }, summary: `start instance ${instance.slice(-8)} again` } : null;
  }
  if (action.verb === 'drain') {
    const where = backendOf(binding, action);
    const current = await readBackend(context, config, where);
    return current.drain ? null : { verb: 'backend', params: { ...where, drain: current.drain, weight: current.weight, backup: current.backup, offline: current.offline }, summary: `undrain backend ${where.backend}` };
  }
  return null;
}

async function undo(spec: UndoSpec, context: ActionContext): Promise<ActionOutcome> {
  const config = parseConfig(OciConfigSchema, context.config, 'oci');
  const p = spec.params as Record<string, string | number | boolean>;
  let argv: string[];
  if (spec.verb === 'start') argv = instanceAction(config, String(p.instance), 'START', 'RUNNING');
  else if (spec.verb === 'backend') {
    argv = backendUpdate(config, { loadBalancer: String(p.loadBalancer), backendSet: String(p.backendSet), backend: String(p.backend) }, {
      drain: p.drain === true, weight: Number(p.weight), backup: p.backup === true, offline: p.offline === true,
    });
  } else return { isOk: false, error: `unknown oci undo ${spec.verb}` };
  const result = await context.run({ argv, timeoutMs: (config.maxWaitSeconds + 60) * 1000 });
  return result.isOk ? outcomeOf(result) : { ...outcomeOf(result), error: ociError(result.stderr) || outcomeOf(result).error };
}

function describe(action: Action, binding: Binding | null): string {
  const instance = typeof binding?.instance === 'string' ? `instance …${binding.instance.slice(-8)}` : 'instance';
  switch (action.verb) {
    case 'stop': return `stop ${instance} and wait for STOPPED`;
    case 'start': return `start ${instance} and wait for RUNNING`;
    case 'restart': return `soft-reset ${instance}`;
    case 'drain': return `drain backend ${action.backend ?? String(binding?.backend ?? '')}`;
    default: return `${action.verb} ${instance}`;
  }
}

// The oci driver: a target is an instance and/or a load-balancer backend.
export const ociDriver: Driver = {
  name: 'oci',
  verbs: new Set(VERBS),
  destructiveVerbs: new Set(DESTRUCTIVE),
  bindingSchema: OciBindingSchema,
  configSchema: OciConfigSchema,
  describe,
  prepareUndo,
  apply,
  undo,
  openSource: ociOpenSource,
  doctor: ociDoctor,
};
