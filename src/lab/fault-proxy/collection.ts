import { HttpError } from '../http';
import { FaultProxy, type ProxyView } from './proxy';
import { isToxicType, parseAttributes, parseToxicCreate, parseToxicUpdate, type Toxic } from './toxics';

// The set of proxies behind the API, with Toxiproxy's rules: unique names,
// toxic names defaulting to `<type>_<stream>`, reset enabling every proxy and
// removing every toxic. Errors are HttpErrors carrying the status Toxiproxy answers with.

/** Fields of a proxy create or update request. */
export interface ProxyInput {
  readonly name?: unknown;
  readonly listen?: unknown;
  readonly upstream?: unknown;
  readonly enabled?: unknown;
}

/** Every proxy of one fault-proxy process. */
export class ProxyCollection {
  private readonly proxies = new Map<string, FaultProxy>();
  private readonly onUpstreamError: (proxy: string, error: Error) => void;
  private readonly onChange: (message: string) => void;

  constructor(options: { onUpstreamError?: (proxy: string, error: Error) => void; onChange?: (message: string) => void } = {}) {
    this.onUpstreamError = options.onUpstreamError ?? (() => {});
    this.onChange = options.onChange ?? (() => {});
  }

  list(): FaultProxy[] {
    return [...this.proxies.values()];
  }

  views(): Record<string, ProxyView> {
    return Object.fromEntries(this.list().map((p) => [p.name, p.view()]));
  }

  get(name: string): FaultProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw new HttpError(404, 'proxy not found');
    return proxy;
  }

  async create(input: ProxyInput): Promise<FaultProxy> {
    const name = requireString(input.name, 'name');
    if (this.proxies.has(name)) throw new HttpError(409, 'proxy already exists');
    const upstream = requireString(input.upstream, 'upstream');
    const listen = typeof input.listen === 'string' && input.listen !== '' ? input.listen : '127.0.0.1:0';
    const proxy = new FaultProxy(name, listen, upstream, this.onUpstreamError);
    if (input.enabled !== false) {
      try {
        await proxy.start();
      } catch (error) {
        throw new HttpError(500, `listen ${listen}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.proxies.set(name, proxy);
    this.onChange(`proxy ${name} created: ${proxy.listen} -> ${upstream}`);
    return proxy;
  }

  async update(name: string, input: ProxyInput): Promise<FaultProxy> {
    const proxy = this.get(name);
    let mustRestart = false;
    if (typeof input.upstream === 'string' && input.upstream !== proxy.upstream) {
      proxy.upstream = input.upstream;
      mustRestart = proxy.enabled;
    }
    if (typeof input.listen === 'string' && input.listen !== proxy.listen) {
      proxy.listen = input.listen;
      mustRestart = proxy.enabled;
    }
    if (mustRestart) await proxy.stop();
    const enabled = typeof input.enabled === 'boolean' ? input.enabled : proxy.enabled || mustRestart;
    if (enabled && !proxy.enabled) await proxy.start();
    if (!enabled && proxy.enabled) await proxy.stop();
    this.onChange(`proxy ${name} ${proxy.enabled ? 'enabled' : 'disabled'}`);
    return proxy;
  }

  async remove(name: string): Promise<void> {
    const proxy = this.get(name);
    await proxy.stop();
    this.proxies.delete(name);
    this.onChange(`proxy ${name} deleted`);
  }

  /** Creates or replaces proxies (POST /populate). */
  async populate(inputs: readonly ProxyInput[]): Promise<FaultProxy[]> {
    const created: FaultProxy[] = [];
    for (const input of inputs) {
      const name = requireString(input.name, 'name');
      const existing = this.proxies.get(name);
      if (existing && existing.upstream === input.upstream && (input.listen === undefined || existing.listen === input.listen)) {
        created.push(await this.update(name, input));
        continue;
      }
      if (existing) await this.remove(name);
      created.push(await this.create(input));
    }
    return created;
  }

  /** Enables every proxy and removes every toxic (POST /reset). */
  async reset(): Promise<void> {
    for (const proxy of this.list()) {
      proxy.setToxics([]);
      if (!proxy.enabled) await proxy.start();
    }
    this.onChange('reset: every proxy enabled, every toxic removed');
  }

  addToxic(proxyName: string, body: unknown): Toxic {
    const proxy = this.get(proxyName);
    const parsed = { data: badRequestOnError(() => parseToxicCreate(body)) };
    const { type, stream, toxicity } = parsed.data;
    if (!isToxicType(type)) throw new HttpError(400, `invalid toxic type: ${type}`);
    const name = parsed.data.name ?? `${type}_${stream}`;
    if (proxy.toxics.some((t) => t.name === name)) throw new HttpError(409, 'toxic already exists');
    const toxic: Toxic = { name, type, stream, toxicity, attributes: attributesOrThrow(type, parsed.data.attributes) };
    proxy.setToxics([...proxy.toxics, toxic]);
    this.onChange(`toxic ${name} added to ${proxyName}: ${type} ${stream} ${JSON.stringify(toxic.attributes)} toxicity ${toxicity}`);
    return toxic;
  }

  getToxic(proxyName: string, toxicName: string): Toxic {
    const toxic = this.get(proxyName).toxics.find((t) => t.name === toxicName);
    if (!toxic) throw new HttpError(404, 'toxic not found');
    return toxic;
  }

  updateToxic(proxyName: string, toxicName: string, body: unknown): Toxic {
    const proxy = this.get(proxyName);
    const current = this.getToxic(proxyName, toxicName);
    const parsed = { data: badRequestOnError(() => parseToxicUpdate(body)) };
    const attributes = parsed.data.attributes ? attributesOrThrow(current.type, { ...current.attributes, ...parsed.data.attributes }) : current.attributes;
    const updated: Toxic = { ...current, toxicity: parsed.data.toxicity ?? current.toxicity, stream: parsed.data.stream ?? current.stream, attributes };
    proxy.setToxics(proxy.toxics.map((t) => (t.name === toxicName ? updated : t)));
    this.onChange(`toxic ${toxicName} on ${proxyName} updated: ${JSON.stringify(attributes)} toxicity ${updated.toxicity}`);
    return updated;
  }

  removeToxic(proxyName: string, toxicName: string): void {
    const proxy = this.get(proxyName);
    this.getToxic(proxyName, toxicName);
    proxy.setToxics(proxy.toxics.filter((t) => t.name !== toxicName));
    this.onChange(`toxic ${toxicName} removed from ${proxyName}`);
  }

  async close(): Promise<void> {
    for (const proxy of this.list()) await proxy.stop();
  }
}

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new HttpError(400, `missing required field: ${field}`);
  return value;
}

function attributesOrThrow(type: Parameters<typeof parseAttributes>[0], attributes: Record<string, unknown>): Record<string, number> {
  try {
    return parseAttributes(type, attributes);
  } catch (error) {
    throw new HttpError(400, `invalid attributes for ${type}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function badRequestOnError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new HttpError(400, error instanceof Error ? error.message : String(error));
  }
}
