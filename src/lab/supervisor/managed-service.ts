import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { request } from '../http';
import type { ExitInfo, ExitReason, ServiceHealth, ServiceState, ServiceStatus } from '../protocol';
import type { ServiceMessage } from '../service-main';
import type { ServiceEvent } from '../services/common';
import { SERVICE_CONFIG_ENV, type RestartPolicy, type ServiceRuntimeConfig, type ServiceSpec } from '../topology';

// One supervised service, a container in miniature: spawned with an IPC
// channel (it exits when the channel closes), restarted by its policy with
// exponential backoff, health-checked, and held to a memory limit: crossing it
// ends in a SIGKILL recorded as OOMKilled, as a cgroup's OOM killer would.

/** What a managed service tells the supervisor. */
export interface ManagedServiceHooks {
  onLog(service: string, stream: 'stdout' | 'stderr', text: string): void;
  onStatus(status: ServiceStatus): void;
  onEvent(service: string, event: ServiceEvent): void;
}

const HEALTH_INTERVAL_MS = 1000;
const FAST_HEALTH_INTERVAL_MS = 20;
const UNHEALTHY_AFTER = 3;
const MEMORY_WATCH_MS = 250;
const STOP_GRACE_MS = 3000;
const BACKOFF_INITIAL_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
const BACKOFF_RESET_AFTER_MS = 10_000;
const PAGE_SIZE = 4096;

/** A service under supervision. */
export class ManagedService {
  readonly spec: ServiceSpec;
  private readonly config: ServiceRuntimeConfig;
  private readonly script: string;
  private readonly hooks: ManagedServiceHooks;
  private child: ChildProcess | undefined;
  private state: ServiceState = 'stopped';
  private health: ServiceHealth = 'unknown';
  private since = Date.now();
  private restarts = 0;
  private oomKills = 0;
  private lastExit: ExitInfo | null = null;
  private extraEnv: Record<string, string> = {};
  private isWanted = false;
  private memoryLimitMb: number;
  private restartPolicy: RestartPolicy;
  private rssMb: number | null = null;
  private backoffMs = BACKOFF_INITIAL_MS;
  private startedAt = 0;
  private healthFailures = 0;
  private timers: { health?: NodeJS.Timeout; memory?: NodeJS.Timeout; restart?: NodeJS.Timeout } = {};
  private exitCause: { reason: ExitReason; signal?: string } | undefined;
  private stderrTail = '';
  private readyWaiters: { resolve(): void; reject(error: Error): void }[] = [];
  private exited: Promise<void> = Promise.resolve();

  constructor(spec: ServiceSpec, config: ServiceRuntimeConfig, script: string, hooks: ManagedServiceHooks) {
    this.spec = spec;
    this.config = config;
    this.script = script;
    this.hooks = hooks;
    this.memoryLimitMb = spec.memoryLimitMb;
    this.restartPolicy = spec.restartPolicy;
  }

  get name(): string {
    return this.spec.name;
  }

  get isHealthy(): boolean {
    return this.health === 'healthy' && this.state === 'running';
  }

  status(): ServiceStatus {
    return {
      name: this.spec.name,
      kind: this.spec.kind,
      state: this.state,
      health: this.health,
      pid: this.child?.pid ?? null,
      restarts: this.restarts,
      oomKills: this.oomKills,
      lastExit: this.lastExit,
      url: `http://127.0.0.1:${this.config.httpPort}`,
      port: this.config.httpPort,
      dataPort: this.config.dataPort ?? null,
      since: this.since,
      startedAt: this.startedAt === 0 ? null : this.startedAt,
      restartPolicy: this.restartPolicy,
      memoryLimitMb: this.memoryLimitMb,
      rssMb: this.rssMb,
      extraEnv: { ...this.extraEnv },
      isWanted: this.isWanted,
    };
  }

  /** Starts the process if it is not running; resolves when it is healthy, rejects if it exits first. */
  start(): Promise<void> {
    this.isWanted = true;
    if (this.timers.restart) clearTimeout(this.timers.restart);
    this.timers.restart = undefined;
    if (this.child) return this.state === 'running' && this.health === 'healthy' ? Promise.resolve() : this.waitReady();
    this.backoffMs = BACKOFF_INITIAL_MS;
    this.spawnChild();
    return this.waitReady();
  }

  /** Stops the process with SIGTERM (SIGKILL after a grace period); the policy will not restart it. */
  async stop(): Promise<void> {
    this.isWanted = false;
    if (this.timers.restart) clearTimeout(this.timers.restart);
    this.timers.restart = undefined;
    const child = this.child;
    if (!child) {
      if (this.state === 'backoff') this.setState('stopped');
      return;
    }
    this.exitCause = { reason: 'Stopped' };
    this.setState('stopping');
    child.kill('SIGTERM');
    const grace = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(grace);
  }

  /** Sends a signal; the restart policy then decides, as for a crash. */
  kill(signal: NodeJS.Signals): boolean {
    const child = this.child;
    if (!child) return false;
    this.exitCause = { reason: 'Killed', signal };
    return child.kill(signal);
  }

  /** Stops and starts again; `env`, when given, replaces the extra environment. Not counted as a restart. */
  async restart(env?: Record<string, string>): Promise<void> {
    if (env) this.extraEnv = { ...env };
    await this.stop();
    await this.start();
  }

  setLimits(limits: { memoryMb?: number; restartPolicy?: RestartPolicy }): void {
    if (limits.memoryMb !== undefined) this.memoryLimitMb = limits.memoryMb;
    if (limits.restartPolicy !== undefined) this.restartPolicy = limits.restartPolicy;
    this.emitStatus();
  }

  /** Stops for good (lab shutdown). */
  async shutdown(): Promise<void> {
    await this.stop();
    this.clearTimers();
  }

  private waitReady(): Promise<void> {
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  private settleReady(error?: Error): void {
    const waiters = this.readyWaiters.splice(0);
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  private spawnChild(): void {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('CHAOS_')) env[key] = value;
    Object.assign(env, this.extraEnv, { [SERVICE_CONFIG_ENV]: JSON.stringify(this.config) });
    const child = spawn(process.execPath, [`--max-old-space-size=${this.memoryLimitMb}`, this.script], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env,
    });
    this.child = child;
    this.startedAt = Date.now();
    this.exitCause = undefined;
    this.stderrTail = '';
    this.health = 'unknown';
    this.healthFailures = 0;
    this.rssMb = null;
    this.setState('starting');
    let exitResolve: () => void = () => {};
    this.exited = new Promise((resolve) => {
      exitResolve = resolve;
    });
    const lines = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
      if (!stream) return;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (name === 'stderr') this.stderrTail = (this.stderrTail + line + '\n').slice(-4096);
        this.hooks.onLog(this.spec.name, name, line);
      });
    };
    lines(child.stdout, 'stdout');
    lines(child.stderr, 'stderr');
    child.on('message', (message: ServiceMessage) => {
      if (message.type === 'ready') void this.checkHealth(true);
      else if (message.type === 'event') this.hooks.onEvent(this.spec.name, message.event);
    });
    child.on('error', (error) => this.hooks.onLog(this.spec.name, 'stderr', `spawn failed: ${error.message}`));
    child.on('exit', (code, signal) => {
      this.onExit(child, code, signal);
      exitResolve();
    });
    this.timers.memory = setInterval(() => this.watchMemory(), MEMORY_WATCH_MS);
  }

  private watchMemory(): void {
    const pid = this.child?.pid;
    if (!pid) return;
    try {
      const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
      this.rssMb = Math.round((resident * PAGE_SIZE) / (1024 * 1024));
    } catch {
      return;
    }
    if (this.rssMb > this.memoryLimitMb && this.exitCause?.reason !== 'OOMKilled') {
      this.exitCause = { reason: 'OOMKilled', signal: 'SIGKILL' };
      this.hooks.onLog('supervisor', 'stderr', `Memory cgroup out of memory: Killed process ${pid} (${this.spec.name}) rss ${this.rssMb} MB > limit ${this.memoryLimitMb} MB`);
      this.child?.kill('SIGKILL');
    }
  }

  private async checkHealth(isFast = false): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.timers.health) clearTimeout(this.timers.health);
    let isOk = false;
    try {
      const response = await request({ host: '127.0.0.1', port: this.config.httpPort, path: '/health', timeoutMs: 800 });
      isOk = response.status === 200;
    } catch {
      isOk = false;
    }
    if (this.child !== child) return;
    if (isOk) {
      this.healthFailures = 0;
      const changed = this.health !== 'healthy' || this.state !== 'running';
      this.health = 'healthy';
      if (this.state === 'starting') this.setState('running');
      else if (changed) this.emitStatus();
      this.settleReady();
      if (Date.now() - this.startedAt > BACKOFF_RESET_AFTER_MS) this.backoffMs = BACKOFF_INITIAL_MS;
    } else {
      this.healthFailures += 1;
      if (this.state === 'running' && this.healthFailures >= UNHEALTHY_AFTER && this.health !== 'unhealthy') {
        this.health = 'unhealthy';
        this.hooks.onLog('supervisor', 'stderr', `${this.spec.name} is unhealthy: ${this.healthFailures} health checks failed`);
        this.emitStatus();
      }
    }
    const interval = isFast && !isOk ? FAST_HEALTH_INTERVAL_MS : HEALTH_INTERVAL_MS;
    this.timers.health = setTimeout(() => void this.checkHealth(isFast && !isOk), interval);
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.clearTimers(['health', 'memory']);
    const isHeapOom = /heap out of memory|Reached heap limit/.test(this.stderrTail);
    const cause = this.exitCause ?? (isHeapOom ? { reason: 'OOMKilled' as const } : undefined);
    const reason: ExitReason = cause?.reason ?? (code === 0 ? 'Completed' : 'Error');
    if (reason === 'OOMKilled') this.oomKills += 1;
    this.lastExit = { code: reason === 'OOMKilled' && code === null ? 137 : code, signal, reason, at: Date.now() };
    this.health = 'unknown';
    this.rssMb = null;
    const isFailure = reason !== 'Completed' && reason !== 'Stopped';
    const description = `${this.spec.name} exited: ${reason} (${signal ? `signal ${signal}` : `code ${code}`})`;
    const mayRestart = this.isWanted && (this.restartPolicy === 'always' || (this.restartPolicy === 'on-failure' && (isFailure || code !== 0)));
    if (!mayRestart) {
      this.hooks.onLog('supervisor', isFailure ? 'stderr' : 'stdout', description);
      this.setState(this.isWanted ? 'exited' : 'stopped');
      this.settleReady(new Error(description));
      return;
    }
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.hooks.onLog('supervisor', 'stderr', `${description}; restarting in ${delay} ms (policy ${this.restartPolicy})`);
    this.setState('backoff');
    this.timers.restart = setTimeout(() => {
      this.timers.restart = undefined;
      if (!this.isWanted || this.child) return;
      this.restarts += 1;
      this.spawnChild();
    }, delay);
  }

  private clearTimers(which: readonly ('health' | 'memory' | 'restart')[] = ['health', 'memory', 'restart']): void {
    for (const key of which) {
      const timer = this.timers[key];
      if (timer) {
        clearTimeout(timer);
        clearInterval(timer);
      }
      this.timers[key] = undefined;
    }
  }

  private setState(state: ServiceState): void {
    if (this.state === state) return;
    this.state = state;
    this.since = Date.now();
    this.emitStatus();
  }

  private emitStatus(): void {
    this.hooks.onStatus(this.status());
  }
}
