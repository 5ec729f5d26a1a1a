import { z } from 'zod';
import type { Action, Verb } from '../scenario/schema';
import type { Binding, SourceSpec } from '../scenario/environment';
import type { ActionContext, ActionOutcome, DoctorCheck, Driver, Source, SourceContext, UndoSpec } from './driver';
import { parseBinding, parseConfig, resourceName, unsupported } from './action-support';
import { httpCall } from './http-request';
import { callApi, ToxiproxyBindingSchema, ToxiproxyConfigSchema, type ToxiproxyBinding, type ToxiproxyConfig } from './toxiproxy-api';
import { sourceIdOf } from '../sources/source-id';
import { messageOf } from '../engine/errors';

// Toxiproxy's HTTP API: toxics added and removed, proxies disabled and
// enabled. One driver serves a real Toxiproxy and the lab's fault proxy.

const VERBS: readonly Verb[] = ['latency', 'loss', 'errors', 'partition', 'heal', 'stop', 'start', 'chaos'];
const DESTRUCTIVE: readonly Verb[] = ['partition', 'stop', 'loss', 'errors'];

interface ToxicBody { name: string; type: string; stream: string; toxicity: number; attributes: Record<string, unknown> }

/** The toxic a verb adds, or null for verbs that toggle the proxy. */
function toxicFor(action: Action, binding: ToxiproxyBinding, target: string): ToxicBody | null {
  const name = resourceName('chaosdeck', action.verb === 'chaos' ? action.kind : action.verb, target);
  const base = { name, stream: binding.stream };
  switch (action.verb) {
    case 'latency':
      return { ...base, type: 'latency', toxicity: 1, attributes: { latency: action.ms, jitter: action.jitter ?? 0 } };
    // Toxiproxy has no packet loss; a zero timeout blackholes the data of that share of connections.
    case 'loss':
      return { ...base, type: 'timeout', toxicity: action.percent / 100, attributes: { timeout: 0 } };
    case 'errors':
      return { ...base, type: 'reset_peer', toxicity: action.rate, attributes: { timeout: 0 } };
    case 'chaos': {
      const spec = z.looseObject({ stream: z.enum(['upstream', 'downstream']).optional(), toxicity: z.number().min(0).max(1).optional(), attributes: z.record(z.string(), z.unknown()).optional() }).parse(action.spec);
      const { stream, toxicity, attributes, ...rest } = spec;
      return { name, type: action.kind, stream: stream ?? binding.stream, toxicity: toxicity ?? 1, attributes: attributes ?? rest };
    }
    default:
      return null;
  }
}

function resolve(context: ActionContext, params?: Readonly<Record<string, unknown>>): { binding: ToxiproxyBinding; config: ToxiproxyConfig; url: string } {
  const config = parseConfig(ToxiproxyConfigSchema, context.config, 'toxiproxy');
  const binding = context.binding ? parseBinding(ToxiproxyBindingSchema, context, 'toxiproxy') : ToxiproxyBindingSchema.parse({ driver: 'toxiproxy', proxy: params?.proxy });
  return { binding, config, url: (typeof params?.url === 'string' ? params.url : undefined) ?? binding.url ?? config.url };
}

const proxyPath = (proxy: string) => `/proxies/${encodeURIComponent(proxy)}`;

async function setEnabled(context: ActionContext, url: string, config: ToxiproxyConfig, proxy: string, isEnabled: boolean): Promise<ActionOutcome> {
  return (await callApi(context, url, config.timeoutMs, { method: 'POST', path: proxyPath(proxy), body: { enabled: isEnabled } })).outcome;
}

async function applyAction(action: Action, context: ActionContext): Promise<ActionOutcome> {
  const { binding, config, url } = resolve(context);
  const toxic = toxicFor(action, binding, context.targetName ?? binding.proxy);
  if (toxic) {
    const path = `${proxyPath(binding.proxy)}/toxics`;
    const added = await callApi(context, url, config.timeoutMs, { method: 'POST', path, body: toxic, alsoOk: [409] });
    if (added.result?.status !== 409) return added.outcome;
    const { name, ...update } = toxic;
    return (await callApi(context, url, config.timeoutMs, { method: 'POST', path: `${path}/${encodeURIComponent(name)}`, body: update })).outcome;
  }
  switch (action.verb) {
    case 'partition':
    case 'stop':
      return setEnabled(context, url, config, binding.proxy, false);
    case 'heal':
    case 'start':
      return setEnabled(context, url, config, binding.proxy, true);
    default:
      return unsupported('toxiproxy', action.verb);
  }
}

async function prepare(action: Action, context: ActionContext): Promise<UndoSpec | null> {
  const { binding, config, url } = resolve(context);
  const toxic = toxicFor(action, binding, context.targetName ?? binding.proxy);
  if (toxic) return { verb: 'remove-toxic', params: { proxy: binding.proxy, url, name: toxic.name }, summary: `remove toxic ${toxic.name} from ${binding.proxy}` };
  if (action.verb === 'partition' || action.verb === 'stop') {
    const read = await callApi(context, url, config.timeoutMs, { method: 'GET', path: proxyPath(binding.proxy), isReadOnly: true });
    if (!read.outcome.isOk) throw new Error(read.outcome.error ?? `cannot read proxy ${binding.proxy}`);
    const isEnabled = (read.result?.body as { enabled?: boolean } | undefined)?.enabled !== false;
    return isEnabled ? { verb: 'enable', params: { proxy: binding.proxy, url }, summary: `enable proxy ${binding.proxy} again` } : null;
  }
  return null;
}

async function undoAction(undo: UndoSpec, context: ActionContext): Promise<ActionOutcome> {
  const { config, url } = resolve(context, undo.params);
  const proxy = String(undo.params.proxy);
  if (undo.verb === 'enable') return setEnabled(context, url, config, proxy, true);
  if (undo.verb === 'remove-toxic') {
    const path = `${proxyPath(proxy)}/toxics/${encodeURIComponent(String(undo.params.name))}`;
    return (await callApi(context, url, config.timeoutMs, { method: 'DELETE', path, alsoOk: [404] })).outcome;
  }
  return { isOk: false, error: `unknown toxiproxy undo ${undo.verb}` };
}

const ProxyListSchema = z.record(z.string(), z.looseObject({ name: z.string(), enabled: z.boolean().default(true), listen: z.string().optional(), upstream: z.string().optional(), toxics: z.array(z.looseObject({ name: z.string(), type: z.string() })).default([]) }));

/** Status of every proxy (or the target's), polled every `interval` seconds (default 2). */
function openSource(spec: SourceSpec, context: SourceContext): Source | null {
  if (spec.kind !== 'status') return null;
  const config = parseConfig(ToxiproxyConfigSchema, context.config, 'toxiproxy');
  const id = sourceIdOf(spec);
  const binding = spec.target ? context.environment.targets[spec.target] : context.binding;
  const only = typeof binding?.proxy === 'string' ? binding.proxy : undefined;
  const url = (typeof binding?.url === 'string' ? binding.url : undefined) ?? config.url;
  const intervalMs = (typeof spec.interval === 'number' ? spec.interval : 2) * 1000;
  let isPolling = false;
  const poll = async () => {
    if (isPolling || context.signal.aborted) return;
    isPolling = true;
    try {
      const result = await httpCall({ url: `${url}/proxies`, timeoutMs: config.timeoutMs, signal: context.signal });
      const proxies = ProxyListSchema.parse(result.body);
      const targets = Object.values(proxies).filter((p) => !only || p.name === only).map((p) => ({
        name: p.name,
        state: p.enabled ? (p.toxics.length ? 'degraded' : 'enabled') : 'disabled',
        isReady: p.enabled,
        restarts: 0,
        detail: p.toxics.map((t) => `${t.type}:${t.name}`).join(', ') || undefined,
      }));
      context.emit({ type: 'status', source: id, targets });
    } catch (error) {
      if (!context.signal.aborted) context.emit({ type: 'notice', level: 'warn', text: `${id}: ${messageOf(error)}` });
    } finally {
      isPolling = false;
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  return { id, async stop() { clearInterval(timer); } };
}

async function doctor(raw: Readonly<Record<string, unknown>>): Promise<DoctorCheck[]> {
  const config = parseConfig(ToxiproxyConfigSchema, raw, 'toxiproxy');
  try {
    const result = await httpCall({ url: `${config.url}/version`, timeoutMs: config.timeoutMs });
    const version = typeof result.body === 'string' ? result.body.trim() : (result.body as { version?: string }).version;
    return [{ name: 'Toxiproxy API', isOk: result.status === 200, detail: `${config.url}: ${result.status === 200 ? `version ${version}` : `HTTP ${result.status}`}`, fix: 'start toxiproxy-server, or the lab (chaosdeck lab start)' }];
  } catch (error) {
    return [{ name: 'Toxiproxy API', isOk: false, detail: `${config.url}: ${messageOf(error)}`, fix: 'start toxiproxy-server, or the lab (chaosdeck lab start), or set drivers.toxiproxy.url' }];
  }
}

function describe(action: Action, binding: Binding | null): string {
  const proxy = typeof binding?.proxy === 'string' ? binding.proxy : 'proxy';
  switch (action.verb) {
    case 'latency': return `add ${action.ms} ms latency on proxy ${proxy}`;
    case 'loss': return `blackhole ${action.percent} % of connections through ${proxy}`;
    case 'errors': return `reset ${Math.round(action.rate * 100)} % of connections through ${proxy}`;
    case 'partition': case 'stop': return `disable proxy ${proxy}`;
    case 'heal': case 'start': return `enable proxy ${proxy}`;
    case 'chaos': return `add ${action.kind} toxic on ${proxy}`;
    default: return `${action.verb} on ${proxy}`;
  }
}

// The toxiproxy driver: a target is a proxy in front of a dependency.
export const toxiproxyDriver: Driver = {
  name: 'toxiproxy',
  verbs: new Set(VERBS),
  destructiveVerbs: new Set(DESTRUCTIVE),
  bindingSchema: ToxiproxyBindingSchema,
  configSchema: ToxiproxyConfigSchema,
  describe,
  prepareUndo: prepare,
  apply: applyAction,
  undo: undoAction,
  openSource,
  doctor,
};
