import { join } from 'node:path';
import { DeckError, messageOf } from '../engine/errors';
import { findLab, LINKS, resolveServices, startLab, stopLab, type LabClient, type ServiceStatus } from '../lab/client';
import type { Binding } from '../scenario/environment';
import type { Action, Verb } from '../scenario/schema';
import { durationMs, isShowOnly, parseBinding, parseConfig, unsupported } from './action-support';
import type { ActionContext, ActionOutcome, Driver, PrepareContext, UndoSpec } from './driver';
import { httpCall } from './http-request';
import { LabBindingSchema, LabConfigSchema } from './lab-config';
import { openLabSource } from './lab-sources';

// The embedded lab, through its supervisor's control API and its fault
// proxy's Toxiproxy API (both via src/lab/client.ts). Every call is echoed to
// the audience as the HTTP request it is; dry-run echoes and does nothing.

const VERBS: readonly Verb[] = ['stop', 'start', 'kill', 'restart', 'latency', 'loss', 'partition', 'heal', 'errors', 'cpu', 'memory', 'load', 'http'];
const DESTRUCTIVE: readonly Verb[] = ['stop', 'kill', 'restart', 'partition', 'loss', 'errors', 'cpu', 'memory'];
const LINK_NAMES: ReadonlySet<string> = new Set(LINKS.map((l) => l.name));

interface Resolved {
  readonly service: string;
  readonly services: readonly string[];
  readonly stateDir: string;
  readonly autoStart: boolean;
}

function resolveTarget(context: ActionContext): Resolved {
  const config = parseConfig(LabConfigSchema, context.config, 'lab');
  const stateDir = config.stateDir ?? join(context.stateDir, 'lab');
  const service = context.binding ? parseBinding(LabBindingSchema, context, 'lab').service : 'edge';
  return { service, services: resolveServices(service), stateDir, autoStart: config.autoStart };
}

/** The fault-proxy links an action acts on: `to` (a dependency) or the links in front of the target. */
function linksOf(action: Action & { to?: string }, target: Resolved): string[] {
  const names = action.to ? resolveServices(action.to) : target.services;
  const links = names.filter((n) => LINK_NAMES.has(n));
  if (links.length === 0) {
    throw new DeckError('ENVIRONMENT_INVALID', `no fault-proxy link leads to ${action.to ?? target.service}; links: ${[...LINK_NAMES].join(', ')}`);
  }
  return links;
}

const toxicName = (verb: string, link: string, stream: string) => `chaosdeck-${verb}-${link}-${stream}`;

interface ToxicPlan { readonly link: string; readonly name: string; readonly type: string; readonly stream: 'upstream' | 'downstream'; readonly toxicity: number; readonly attributes: Record<string, number> }

function toxicsFor(action: Action, target: Resolved): ToxicPlan[] {
  switch (action.verb) {
    case 'latency':
      return linksOf(action, target).map((link) => ({ link, name: toxicName('latency', link, 'downstream'), type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: action.ms, jitter: action.jitter ?? 0 } }));
    // A share of connections whose data is held forever: what packet loss looks like to a TCP client.
    case 'loss':
      return linksOf(action, target).map((link) => ({ link, name: toxicName('loss', link, 'downstream'), type: 'timeout', stream: 'downstream', toxicity: action.percent / 100, attributes: { timeout: 0 } }));
    case 'partition': {
      const streams: ('upstream' | 'downstream')[] = action.direction === 'ingress' ? ['downstream'] : action.direction === 'egress' ? ['upstream'] : ['upstream', 'downstream'];
      return linksOf(action, target).flatMap((link) => streams.map((stream) => ({ link, name: toxicName('partition', link, stream), type: 'timeout', stream, toxicity: 1, attributes: { timeout: 0 } })));
    }
    default:
      return [];
  }
}

/** The lab client: the running lab, started when allowed (live runs only). */
async function labFor(target: Resolved, context: ActionContext): Promise<LabClient> {
  const found = await findLab({ stateDir: target.stateDir });
  if (found) return found;
  if (!target.autoStart || isShowOnly(context)) throw new DeckError('LAB_UNAVAILABLE', 'the lab is not running: start it with `chaosdeck lab up`');
  const handle = context.echo('chaosdeck lab up');
  try {
    const client = await startLab({ stateDir: target.stateDir });
    handle.finish({ isOk: true });
    return client;
  } catch (error) {
    handle.finish({ isOk: false, error: messageOf(error) });
    throw new DeckError('LAB_UNAVAILABLE', `the lab did not start: ${messageOf(error)}`, { cause: error });
  }
}

/** Echoes `display`, then (live only) runs `call`; the outcome carries what the API answered. */
async function step(context: ActionContext, display: string, call: () => Promise<unknown>): Promise<ActionOutcome> {
  const handle = context.echo(display);
  if (isShowOnly(context)) {
    handle.finish({ isOk: true });
    return { isOk: true };
  }
  try {
    const output = await call();
    handle.finish({ isOk: true });
    return { isOk: true, output: output ?? undefined };
  } catch (error) {
    handle.line('stderr', messageOf(error));
    handle.finish({ isOk: false, error: messageOf(error) });
    return { isOk: false, error: messageOf(error) };
  }
}

async function steps(context: ActionContext, list: readonly [string, () => Promise<unknown>][]): Promise<ActionOutcome> {
  let last: ActionOutcome = { isOk: true };
  for (const [display, call] of list) {
    last = await step(context, display, call);
    if (!last.isOk) return last;
  }
  return last;
}

const servicePath = (service: string, verb: string) => `/services/${service}/${verb}`;
const body = (value: unknown) => (value === undefined ? '' : ` ${JSON.stringify(value)}`);

/** A lab client for actions that may find no lab in dry-run (the echo still shows the plan). */
async function maybeLab(target: Resolved, context: ActionContext): Promise<LabClient | null> {
  if (isShowOnly(context)) return findLab({ stateDir: target.stateDir });
  return labFor(target, context);
}

function must(lab: LabClient | null): LabClient {
  if (!lab) throw new DeckError('LAB_UNAVAILABLE', 'the lab is not running');
  return lab;
}

async function applyAction(action: Action, context: ActionContext): Promise<ActionOutcome> {
  const target = resolveTarget(context);
  const lab = await maybeLab(target, context);
  const { service } = target;
  switch (action.verb) {
    case 'stop':
      return step(context, `POST ${servicePath(service, 'stop')}`, () => must(lab).stop(service));
    case 'start':
      return step(context, `POST ${servicePath(service, 'start')}`, () => must(lab).start(service));
    case 'kill':
      return step(context, `POST ${servicePath(service, 'kill')}${body({ signal: action.signal })}`, () => must(lab).kill(service, action.signal));
    case 'restart':
      return step(context, `POST ${servicePath(service, 'restart')}${body(action.env ? { env: action.env } : {})}`, () => must(lab).restart(service, action.env));
    case 'errors':
      return step(context, `PUT ${servicePath(service, 'chaos')}${body({ enabled: true, errorRate: action.rate })}`, () => must(lab).setChaos(service, { enabled: true, errorRate: action.rate }));
    case 'cpu': {
      const ms = action.duration === undefined ? undefined : durationMs(action.duration, 0);
      return step(context, `PUT ${servicePath(service, 'cpu')}${body({ percent: action.percent, ...(ms ? { durationMs: ms } : {}) })}`, () => must(lab).setCpu(service, action.percent, ms));
    }
    case 'memory':
      return step(context, `PUT ${servicePath(service, 'memory')}${body({ mb: action.mb })}`, () => must(lab).setMemory(service, action.mb));
    case 'load': {
      const spec = {
        ...(action.rate !== undefined ? { rate: action.rate } : {}),
        ...(action.ramp ? { ramp: action.ramp.map((s) => ({ rate: s.rate, durationMs: durationMs(s.duration, 1000) })) } : {}),
        ...(action.duration !== undefined ? { durationMs: durationMs(action.duration, 0) } : {}),
        path: action.path ?? '/api/products',
        service: target.services.length === 1 ? service : 'edge',
      };
      if (spec.rate === undefined && !spec.ramp) return { isOk: false, error: 'load needs a rate or a ramp' };
      return step(context, `POST /load${body(spec)}`, () => must(lab).startLoad(spec));
    }
    case 'latency':
    case 'loss':
    case 'partition':
      return steps(context, toxicsFor(action, target).map((toxic) => {
        const { link, ...payload } = toxic;
        return [`POST /proxies/${link}/toxics${body(payload)}`, async () => {
          const client = must(lab);
          await client.removeToxic(link, toxic.name);
          return client.addToxic(link, payload);
        }] as [string, () => Promise<unknown>];
      }));
    case 'heal': {
      const links = linksOf(action, target);
      return steps(context, links.map((link) => [`DELETE /proxies/${link}/toxics/chaosdeck-partition-*; POST /proxies/${link} {"enabled":true}`, async () => {
        const client = must(lab);
        for (const stream of ['upstream', 'downstream']) await client.removeToxic(link, toxicName('partition', link, stream));
        return client.setProxyEnabled(link, true);
      }] as [string, () => Promise<unknown>]));
    }
    case 'http':
      return httpAction(action, target, lab, context);
    default:
      return unsupported('lab', action.verb);
  }
}

async function httpAction(action: Extract<Action, { verb: 'http' }>, target: Resolved, lab: LabClient | null, context: ActionContext): Promise<ActionOutcome> {
  const isRelative = action.url.startsWith('/');
  const base = isRelative ? (lab?.state.services[target.services.length === 1 ? target.service : 'edge'] ?? `http://127.0.0.1:?`) : '';
  const url = `${base}${action.url}`;
  return step(context, `${action.method.toUpperCase()} ${url}${body(action.body)}`, async () => {
    const result = await httpCall({ url, method: action.method, headers: action.headers, body: action.body, query: action.query, timeoutMs: 10_000, signal: context.signal });
    return { status: result.status, headers: result.headers, body: result.body };
  });
}

async function prepare(action: Action, context: ActionContext): Promise<UndoSpec | null> {
  const target = resolveTarget(context);
  const { service } = target;
  switch (action.verb) {
    case 'stop':
    case 'kill':
      return { verb: 'start', params: { service }, summary: `start ${service} again` };
    case 'start': {
      const lab = await findLab({ stateDir: target.stateDir });
      const statuses = lab ? await Promise.all(target.services.map((s) => lab.service(s))) : [];
      const stopped = statuses.filter((s: ServiceStatus) => !s.isWanted).map((s) => s.name);
      return stopped.length > 0 ? { verb: 'stop', params: { services: stopped }, summary: `stop ${stopped.join(', ')} again` } : null;
    }
    case 'restart': {
      if (!action.env) return null;
      const lab = await findLab({ stateDir: target.stateDir });
      const envs = lab ? Object.fromEntries(await Promise.all(target.services.map(async (s) => [s, (await lab.service(s)).extraEnv] as const))) : Object.fromEntries(target.services.map((s) => [s, {}]));
      return { verb: 'restart-env', params: { envs }, summary: `restart ${service} with its previous environment` };
    }
    case 'errors': {
      const lab = await findLab({ stateDir: target.stateDir });
      const previous = lab ? Object.fromEntries(await Promise.all(target.services.map(async (s) => [s, await lab.chaos(s)] as const))) : Object.fromEntries(target.services.map((s) => [s, { enabled: false, latencyMs: 0, errorRate: 0 }]));
      return { verb: 'chaos', params: { previous }, summary: `set ${service}'s injected errors back` };
    }
    case 'cpu':
      return { verb: 'cpu', params: { service }, summary: `stop the CPU hog on ${service}` };
    case 'memory':
      return { verb: 'memory', params: { service }, summary: `release the memory held by ${service}` };
    case 'load':
      return { verb: 'stop-load', params: {}, summary: 'stop the load generator', kind: 'traffic' };
    case 'latency':
    case 'loss':
    case 'partition': {
      const toxics = toxicsFor(action, target).map((t) => ({ link: t.link, name: t.name }));
      return { verb: 'remove-toxics', params: { toxics }, summary: `remove ${action.verb} from ${[...new Set(toxics.map((t) => t.link))].join(', ')}` };
    }
    default:
      return null;
  }
}

async function undoAction(undo: UndoSpec, context: ActionContext): Promise<ActionOutcome> {
  const config = parseConfig(LabConfigSchema, context.config, 'lab');
  const target: Resolved = { service: 'edge', services: ['edge'], stateDir: config.stateDir ?? join(context.stateDir, 'lab'), autoStart: config.autoStart };
  const lab = await maybeLab(target, context);
  const p = undo.params;
  switch (undo.verb) {
    case 'start':
      return step(context, `POST ${servicePath(String(p.service), 'start')}`, () => must(lab).start(String(p.service)));
    case 'stop':
      return steps(context, (p.services as string[]).map((s) => [`POST ${servicePath(s, 'stop')}`, () => must(lab).stop(s)] as [string, () => Promise<unknown>]));
    case 'restart-env':
      return steps(context, Object.entries(p.envs as Record<string, Record<string, string>>).map(([s, env]) => [`POST ${servicePath(s, 'restart')}${body({ env })}`, () => must(lab).restart(s, env)] as [string, () => Promise<unknown>]));
    case 'chaos':
      return steps(context, Object.entries(p.previous as Record<string, { enabled: boolean; latencyMs: number; errorRate: number }>).map(([s, chaos]) => [`PUT ${servicePath(s, 'chaos')}${body(chaos)}`, () => tolerateNotRunning(() => must(lab).setChaos(s, chaos))] as [string, () => Promise<unknown>]));
    case 'cpu':
      return step(context, `PUT ${servicePath(String(p.service), 'cpu')} {"percent":0}`, () => tolerateNotRunning(() => must(lab).setCpu(String(p.service), 0)));
    case 'memory':
      return step(context, `PUT ${servicePath(String(p.service), 'memory')} {"mb":0}`, () => tolerateNotRunning(() => must(lab).setMemory(String(p.service), 0)));
    case 'stop-load':
      return step(context, 'DELETE /load', () => must(lab).stopLoad());
    case 'remove-toxics':
      return steps(context, (p.toxics as { link: string; name: string }[]).map((t) => [`DELETE /proxies/${t.link}/toxics/${t.name}`, () => must(lab).removeToxic(t.link, t.name)] as [string, () => Promise<unknown>]));
    default:
      return { isOk: false, error: `unknown lab undo ${undo.verb}` };
  }
}

// A knob on a process that has since died (an OOM kill, a stop) is already back to its default.
async function tolerateNotRunning(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return await call();
  } catch (error) {
    if ((error as { status?: number }).status === 409) return { note: 'not running: nothing to undo' };
    throw error;
  }
}

function describe(action: Action, binding: Binding | null): string {
  const service = typeof binding?.service === 'string' ? binding.service : 'edge';
  const to = 'to' in action && action.to ? ` to ${action.to}` : '';
  switch (action.verb) {
    case 'stop': case 'start': return `${action.verb} ${service}`;
    case 'kill': return `kill ${service} with ${action.signal}`;
    case 'restart': return action.env ? `restart ${service} with ${Object.entries(action.env).map(([k, v]) => `${k}=${v}`).join(' ')}` : `restart ${service}`;
    case 'latency': return `add ${action.ms} ms latency${action.jitter ? ` ± ${action.jitter} ms` : ''} on ${service}${to}`;
    case 'loss': return `lose ${action.percent} % of connections on ${service}${to}`;
    case 'partition': return `partition ${service}${to || ' from its callers'}`;
    case 'heal': return `heal ${service}${to}`;
    case 'errors': return `inject ${Math.round(action.rate * 100)} % errors in ${service}`;
    case 'cpu': return `hog ${action.percent} % CPU in ${service}`;
    case 'memory': return `hold ${action.mb} MB in ${service}`;
    case 'load': return action.ramp ? `load ${action.ramp.map((s) => s.rate).join(' → ')} requests/s` : `load ${action.rate} requests/s on ${action.path ?? '/api/products'}`;
    case 'http': return `${action.method} ${action.url}`;
    default: return `${action.verb} ${service}`;
  }
}

/** The lab source spec's own fields. */
async function prepareLab(context: PrepareContext): Promise<{ release(): Promise<void> }> {
  const config = parseConfig(LabConfigSchema, context.config, 'lab');
  const stateDir = config.stateDir ?? join(context.stateDir, 'lab');
  const keep = { release: async () => undefined };
  if (!config.autoStart || (await findLab({ stateDir }))) return keep;
  context.onProgress('starting the lab (chaosdeck lab up)…');
  const lab = await startLab({ stateDir });
  const { pid } = lab.state;
  context.onProgress(`lab ready (pid ${pid})`);
  return {
    async release() {
      // Stop it only if the lab running now is still the one started here.
      const current = await findLab({ stateDir }).catch(() => null);
      if (current && current.state.pid === pid) await stopLab({ stateDir });
    },
  };
}

// The lab driver: the embedded shop, reached only through its control API.
export const labDriver: Driver = {
  name: 'lab',
  verbs: new Set(VERBS),
  destructiveVerbs: new Set(DESTRUCTIVE),
  bindingSchema: LabBindingSchema,
  configSchema: LabConfigSchema,
  describe,
  prepareUndo: prepare,
  prepare: prepareLab,
  apply: applyAction,
  undo: undoAction,
  openSource: openLabSource,
  async doctor(raw) {
    const config = parseConfig(LabConfigSchema, raw, 'lab');
    const lab = await findLab({ ...(config.stateDir ? { stateDir: config.stateDir } : {}) }).catch(() => null);
    if (!lab) return [{ name: 'lab', isOk: config.autoStart, detail: config.autoStart ? 'not running; actions start it' : 'not running', fix: 'chaosdeck lab up' }];
    const status = await lab.status();
    const unhealthy = status.services.filter((s) => s.health !== 'healthy').map((s) => s.name);
    return [{ name: 'lab', isOk: unhealthy.length === 0, detail: unhealthy.length ? `unhealthy: ${unhealthy.join(', ')}` : `${status.services.length} services healthy (pid ${status.pid})`, fix: 'chaosdeck lab down && chaosdeck lab up' }];
  },
};
