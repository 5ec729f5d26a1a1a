import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createBus } from '../src/engine/bus';
import type { UnstampedEvent } from '../src/engine/events';
import { createViewStore } from '../src/engine/store';
import { startShareServer } from '../src/share/server';
import { percentile, type Benchmark } from './harness';

// Sharing with a room of 200: how long an event takes from the presenter's
// bus to every follower (p99), and what the share server adds to the
// presenter's event-loop delay (p99, against the same run without sharing).
// The workload is a busy lab: a 40-line log batch and a latency sample every
// 50 ms, a status and a breaker change every second. Followers run in a child
// process (bench/share-follower-process.ts): 200 light WebSocket clients on
// loopback and one real follower. A follower's own parsing and reducing is
// not in the figure: in a room each follower is its own machine.

const here = dirname(fileURLToPath(import.meta.url));
const FOLLOWERS = 200;
const SECONDS = 6;
const TICK_MS = 50;

/** Emits the workload for `seconds`; returns the presenter's event-loop delay p99 in ms. */
async function workload(emit: (event: UnstampedEvent) => void, seconds: number): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  for (let tick = 0; tick < ticks; tick++) {
    emit({ type: 'metric', source: 'bench', name: 'bench.sentAt', value: performance.timeOrigin + performance.now() });
    emit({ type: 'log.lines', source: `api-${tick % 2}`, dropped: 0, lines: Array.from({ length: 40 }, (_, i) => ({ text: `2026-11-23T01:00:00Z INFO request ${tick}-${i} GET /products 200 ${i % 40} ms` })) });
    emit({ type: 'latency', source: 'load', p50: 20 + (tick % 7), p95: 60 + (tick % 11), p99: 90 + (tick % 13), rps: 120, errorRate: 0.01 });
    if (tick % 20 === 0) {
      emit({ type: 'status', source: 'lab', targets: [{ name: 'api-1', state: 'running', isReady: true, restarts: tick / 20 }, { name: 'api-2', state: 'running', isReady: true, restarts: 0 }] });
      emit({ type: 'breaker', source: 'lab', name: 'backendCB', state: (tick / 20) % 2 === 0 ? 'CLOSED' : 'OPEN' });
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  histogram.disable();
  return histogram.percentile(99) / 1e6;
}

interface Measured {
  readonly fanoutP99: number;
  readonly fanoutP50: number;
  readonly samples: number;
  readonly loopP99Shared: number;
  readonly loopP99Alone: number;
  readonly note: string;
}

async function measure(): Promise<Measured> {
  // Alone: the presenter's bus feeding its own store, as the deck does.
  const aloneStore = createViewStore();
  const aloneBus = createBus({ sinks: [(e) => aloneStore.dispatch(e)] });
  const loopP99Alone = await workload((e) => aloneBus.emit(e), SECONDS);

  const server = await startShareServer({ bind: { host: '127.0.0.1', port: 0 }, maxFollowers: FOLLOWERS + 10 });
  const child = fork(join(here, 'share-follower-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, CHAOSDECK_SHARE_BENCH_CHILD: '1', CHAOSDECK_SHARE_URL: server.info.url, CHAOSDECK_SHARE_FOLLOWERS: String(FOLLOWERS) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const next = <T>(kind: string) => new Promise<T>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the follower process exited (${code})`)));
      child.on('message', (m: { kind: string }) => { if (m.kind === kind) resolve(m as T); });
    });
    await next('ready');
    const store = createViewStore();
    const bus = createBus({ sinks: [(e) => store.dispatch(e), server.sink] });
    const loopP99Shared = await workload((e) => bus.emit(e), SECONDS);
    server.hub.flush();
    const head = server.hub.stats().head;
    const reported = next<{ delays: number[]; minSeq: number; dropped: number }>('report');
    // Give the last frames a moment to arrive before asking for the report.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.send({ kind: 'report' });
    const report = await reported;
    if (report.minSeq < head || report.dropped > 0) throw new Error(`followers fell behind: lowest seq ${report.minSeq} of ${head}, ${report.dropped} not live`);
    return {
      fanoutP99: percentile(report.delays, 99),
      fanoutP50: percentile(report.delays, 50),
      samples: report.delays.length,
      loopP99Shared,
      loopP99Alone,
      note: `${FOLLOWERS} followers, ${report.delays.length} timed deliveries, ${head} events; dropped by the server: ${server.hub.stats().dropped}`,
    };
  } finally {
    child.kill();
    await server.close();
  }
}

let measured: Promise<Measured> | null = null;
const once = () => (measured ??= measure());

export const benchmarks: Benchmark[] = [
  {
    name: `share: fan-out latency to ${FOLLOWERS} followers, p99`,
    unit: 'ms',
    budget: 100,
    async run() {
      const m = await once();
      return { value: m.fanoutP99, note: `p50 ${m.fanoutP50.toFixed(1)} ms; ${m.note}` };
    },
  },
  {
    name: `share: presenter event-loop delay p99 added by ${FOLLOWERS} followers`,
    unit: 'ms',
    budget: 20,
    async run() {
      const m = await once();
      return { value: Math.max(0, m.loopP99Shared - m.loopP99Alone), note: `p99 ${m.loopP99Shared.toFixed(1)} ms sharing, ${m.loopP99Alone.toFixed(1)} ms alone` };
    },
  },
];
