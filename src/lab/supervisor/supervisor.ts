import { request } from '../http';
import { startLoad, type LoadRun } from '../load/generator';
import type { BreakerStatus, LabEvent, LabStatus, LoadRequest, LoadStatus, ProxyStatus, ServiceStatus } from '../protocol';
import { LINKS, SERVICES, resolveServices, type ServiceName, type ServiceRuntimeConfig } from '../topology';
import { ManagedService } from './managed-service';
import { freePorts } from './ports';

// The supervisor: starts the services in dependency order, relays their logs
// and events as one stream, keeps the breakers' last states, runs the load
// generator, and stops everything on shutdown.

const LOG_RING = 2000;
const START_TIMEOUT_MS = 20_000;

/** Listens to everything that happens in the lab. */
export type LabListener = (event: LabEvent) => void;

/** The lab's supervisor. */
export class Supervisor {
  readonly services = new Map<ServiceName, ManagedService>();
  private readonly listeners = new Set<LabListener>();
  private readonly logs = new Map<string, { ts: number; stream: 'stdout' | 'stderr'; text: string }[]>();
  private readonly breakers = new Map<string, BreakerStatus>();
  private load: LoadRun | undefined;
  private lastLoad: LoadStatus | null = null;
  private isReadyFlag = false;
  readonly startedAt = new Date().toISOString();
  private proxyApiUrl = '';

  private constructor() {}

  /** Creates the supervisor with ports chosen for every service and link. */
  static async create(serviceScript: string): Promise<Supervisor> {
    const supervisor = new Supervisor();
    const dataServices = SERVICES.filter((s) => s.hasDataPort);
    const ports = await freePorts(SERVICES.length + dataServices.length + LINKS.length);
    const httpPort = new Map(SERVICES.map((s, i) => [s.name, ports[i] as number]));
    const dataPort = new Map(dataServices.map((s, i) => [s.name, ports[SERVICES.length + i] as number]));
    const linkPort = new Map(LINKS.map((l, i) => [l.name, ports[SERVICES.length + dataServices.length + i] as number]));
    const linkAddress = (name: (typeof LINKS)[number]['name']) => ({ host: '127.0.0.1', port: linkPort.get(name) as number });
    for (const spec of SERVICES) {
      const config: ServiceRuntimeConfig = {
        name: spec.name,
        kind: spec.kind,
        httpPort: httpPort.get(spec.name) as number,
        ...(spec.hasDataPort ? { dataPort: dataPort.get(spec.name) as number } : {}),
        links: spec.kind === 'api'
          ? { backend: linkAddress('backend'), cache: linkAddress('cache'), db: linkAddress('db'), collector: linkAddress('collector') }
          : spec.kind === 'edge' ? { 'api-1': linkAddress('api-1'), 'api-2': linkAddress('api-2') } : {},
        ...(spec.kind === 'proxy'
          ? {
              proxies: LINKS.map((l) => ({
                name: l.name,
                listen: `127.0.0.1:${linkPort.get(l.name)}`,
                upstream: `127.0.0.1:${(l.port === 'data' ? dataPort : httpPort).get(l.to)}`,
              })),
            }
          : {}),
      };
      supervisor.services.set(spec.name, new ManagedService(spec, config, serviceScript, {
        onLog: (service, stream, text) => supervisor.log(service, stream, text),
        onStatus: (status) => supervisor.broadcast({ type: 'status', ts: Date.now(), service: status }),
        onEvent: (service, event) => supervisor.onServiceEvent(service, event),
      }));
    }
    supervisor.proxyApiUrl = `http://127.0.0.1:${httpPort.get('proxy')}`;
    for (const spec of SERVICES.filter((s) => s.kind === 'api')) {
      for (const name of ['backendCB', 'dbCB']) {
        supervisor.breakers.set(`${spec.name}/${name}`, { service: spec.name, name, state: 'CLOSED', failureRate: -1, since: Date.now() });
      }
    }
    return supervisor;
  }

  get proxyApi(): string {
    return this.proxyApiUrl;
  }

  get isReady(): boolean {
    return this.isReadyFlag;
  }

  /** Starts every service, each as soon as its dependencies are healthy. */
  async startAll(): Promise<void> {
    const started = new Map<ServiceName, Promise<void>>();
    const startOne = (name: ServiceName): Promise<void> => {
      const existing = started.get(name);
      if (existing) return existing;
      const service = this.get(name);
      const promise = Promise.all(service.spec.dependsOn.map(startOne)).then(() => withTimeout(service.start(), START_TIMEOUT_MS, `${name} did not become healthy`));
      started.set(name, promise);
      return promise;
    };
    await Promise.all([...this.services.keys()].map(startOne));
    this.isReadyFlag = true;
    this.log('supervisor', 'stdout', `lab ready: ${this.services.size} services healthy`);
    this.broadcast({ type: 'lab', ts: Date.now(), state: 'ready' });
  }

  /** Stops the load and every service, dependents first. */
  async shutdown(): Promise<void> {
    this.broadcast({ type: 'lab', ts: Date.now(), state: 'stopping' });
    this.load?.stop();
    const order = [...this.services.values()].reverse();
    for (const service of order) await service.shutdown();
  }

  get(name: string): ManagedService {
    const service = this.services.get(name as ServiceName);
    if (!service) throw new RangeError(`no lab service named ${name}`);
    return service;
  }

  /** The services a name or group stands for. */
  resolve(name: string): ManagedService[] {
    const names = resolveServices(name);
    if (names.length === 0) throw new RangeError(`no lab service or group named ${name}`);
    return names.map((n) => this.get(n));
  }

  async status(): Promise<LabStatus> {
    return {
      pid: process.pid,
      startedAt: this.startedAt,
      isReady: this.isReadyFlag,
      services: [...this.services.values()].map((s) => s.status()),
      proxies: await this.proxies(),
      breakers: [...this.breakers.values()],
      load: this.load ? this.load.status() : this.lastLoad,
      proxyApi: this.proxyApiUrl,
    };
  }

  /** The fault proxy's proxies and toxics; empty while the proxy is down. */
  async proxies(): Promise<ProxyStatus[]> {
    const proxy = this.get('proxy').status();
    if (proxy.state !== 'running') return [];
    try {
      const response = await request({ host: '127.0.0.1', port: proxy.port, path: '/proxies', timeoutMs: 1000 });
      return Object.values(JSON.parse(response.body.toString('utf8')) as Record<string, ProxyStatus>);
    } catch {
      return [];
    }
  }

  recentLogs(service: string, tail: number): { ts: number; stream: 'stdout' | 'stderr'; text: string }[] {
    return (this.logs.get(service) ?? []).slice(-tail);
  }

  /** Starts the load generator (replacing a running load). */
  startLoad(spec: LoadRequest): LoadStatus {
    this.load?.stop();
    const target = this.get(spec.service).status();
    const run = startLoad(spec, { host: '127.0.0.1', port: target.port }, (sample) => this.broadcast({ type: 'latency', ts: sample.ts, sample }));
    this.load = run;
    const rate = spec.ramp ? spec.ramp.map((s) => s.rate).join(' → ') : String(spec.rate);
    this.log('supervisor', 'stdout', `load started: ${rate} requests/s, ${spec.method} ${target.url}${spec.path}`);
    this.broadcast({ type: 'load', ts: Date.now(), state: 'started', status: run.status() });
    void run.done.then((how) => {
      const status = run.status();
      if (this.load === run) {
        this.load = undefined;
        this.lastLoad = status;
      }
      this.log('supervisor', 'stdout', `load ${how}: ${status.sent} sent, ${status.errors} errors, p95 ${status.p95} ms`);
      this.broadcast({ type: 'load', ts: Date.now(), state: how, status });
    });
    return run.status();
  }

  stopLoad(): LoadStatus | null {
    const run = this.load;
    if (!run) return this.lastLoad;
    run.stop();
    return run.status();
  }

  loadStatus(): LoadStatus | null {
    return this.load ? this.load.status() : this.lastLoad;
  }

  subscribe(listener: LabListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Logs a line as `service` (the supervisor's own lines use "supervisor"). */
  log(service: string, stream: 'stdout' | 'stderr', text: string): void {
    const ts = Date.now();
    let ring = this.logs.get(service);
    if (!ring) {
      ring = [];
      this.logs.set(service, ring);
    }
    ring.push({ ts, stream, text });
    if (ring.length > LOG_RING) ring.splice(0, ring.length - LOG_RING);
    this.broadcast({ type: 'log', ts, service, stream, text });
  }

  private onServiceEvent(service: string, event: import('../services/common').ServiceEvent): void {
    const ts = Date.now();
    if (event.kind === 'breaker') {
      this.breakers.set(`${service}/${event.name}`, { service, name: event.name, state: event.to as BreakerStatus['state'], failureRate: event.failureRate, since: ts });
      this.broadcast({ type: 'breaker', ts, service, name: event.name, from: event.from, to: event.to, failureRate: event.failureRate });
    } else {
      this.broadcast({ type: 'upstream', ts, service, name: event.name, isHealthy: event.isHealthy, reason: event.reason });
    }
  }

  private broadcast(event: LabEvent): void {
    if (event.type === 'status' && event.service.state === 'starting') {
      // A fresh process starts with closed breakers.
      for (const [key, breaker] of this.breakers) if (breaker.service === event.service.name) this.breakers.set(key, { ...breaker, state: 'CLOSED', failureRate: -1, since: event.ts });
    }
    for (const listener of this.listeners) listener(event);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
    promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    }, (error: unknown) => {
      clearTimeout(timer);
      reject(error instanceof Error ? error : new Error(String(error)));
    });
  });
}

export type { ServiceStatus };
