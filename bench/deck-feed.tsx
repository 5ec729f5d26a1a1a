import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { DeckEvent } from '../src/engine/events';
import { createViewStore } from '../src/engine/store';
import type { Scenario } from '../src/scenario/schema';
import { createLineBatcher } from '../src/sources/batch';
import { App } from '../src/ui/App';
import { mountDeck } from '../src/ui/render';
import { UNICODE_GLYPHS } from '../src/ui/theme/glyphs';
import { loadThemeCached } from '../src/ui/theme/cache';

// The deck on a synthetic run, for the benchmarks (bench/deck.ts bundles it):
//   node deck-feed.js RATE [STATS_FILE] [LIMIT]
// feeds RATE log lines/s through the sources' line batcher, a latency sample a
// second, and writes CPU, event-loop delay p99, RSS and lines fed to
// STATS_FILE on SIGUSR2 (then starts a new measuring window). With LIMIT it
// stops feeding after that many lines (the deck keeps running).

const [rate = '0', statsFile, limit] = process.argv.slice(2);
await feed(Number(rate), statsFile, limit === undefined ? Infinity : Number(limit));

async function feed(rate: number, statsFile: string | undefined, limit: number) {
  const themesDir = join(process.env.CHAOSDECK_ROOT ?? process.cwd(), 'themes');
  // As the CLI does before its first frame: the resolved theme from the cache (a
  // miss on the first run parses the YAML once), and the scenario as the engine
  // hands it over, already parsed, in run.started; no YAML, no zod on this path.
  const theme = await loadThemeCached('dark', themesDir, join(tmpdir(), 'chaosdeck-bench-theme-cache'));
  const step = (phase: Scenario['steps'][number]['phase'], title: string, notes: string): Scenario['steps'][number] => ({ phase, title, notes, say: [], run: [], expect: [] });
  const scenario: Scenario = {
    id: 'bench', title: 'Benchmark: a log flood', hypothesis: 'The deck keeps up.', difficulty: 'medium', tags: [],
    requirements: { root: false, binaries: [], drivers: [] }, targets: {}, steadyState: [], stopConditions: [], rollback: [],
    criteria: [{ name: 'latency', measure: 'p95', window: 'run', aggregate: 'max', tolerance: { lt: 500 } }],
    steps: [step('baseline', 'Steady', '# Flood\nLines arrive at **50,000/s**.\n- batched\n- bounded'), step('inject', 'Inject', 'More.')],
  };
  const store = createViewStore();
  let t0 = Date.now();
  const emit = (event: Omit<DeckEvent, 't'>) => store.dispatch({ ...event, t: Date.now() - t0 } as DeckEvent);
  t0 = Date.now();
  emit({ type: 'run.started', runId: 'bench', scenario, environment: { name: 'bench', isLab: true }, mode: 'live', isAuto: false, startedAt: new Date(t0).toISOString() } as never);
  emit({ type: 'step.entered', index: 0, phase: 'baseline' } as never);
  emit({ type: 'status', source: 'lab', targets: ['edge', 'api-1', 'api-2', 'backend', 'cache', 'db'].map((name) => ({ name, state: 'running', isReady: true, restarts: 0 })) } as never);
  emit({ type: 'breaker', source: 'lab', name: 'backendCB', state: 'CLOSED', failureRate: 0 } as never);
  const sources = ['edge', 'api-1', 'api-2', 'backend'];
  const batchers = sources.map((source) => createLineBatcher({ onFlush: (lines, dropped) => emit({ type: 'log.lines', source, lines, dropped } as never) }));
  let total = 0;
  if (rate > 0) {
    const tickMs = 10;
    let owed = 0;
    setInterval(() => {
      // A loaded machine fires this late; catching up on every missed tick at
      // once would block the loop for seconds and balloon memory (the RSS run
      // hung that way), so at most two ticks' worth is owed.
      owed = Math.min(owed + (rate * tickMs) / 1000, (2 * rate * tickMs) / 1000);
      const count = Math.min(Math.floor(owed), limit - total);
      owed -= count;
      for (let i = 0; i < count; i++) {
        total++;
        batchers[total % batchers.length]!.push(`${new Date().toISOString()} INFO GET /api/products/${total % 977} 200 ${total % 90}ms request_id=${total.toString(16)}${total % 50 === 0 ? ' retrying backendRetry attempt 2' : ''}`);
      }
    }, tickMs);
  }
  if (rate > 0) {
    setInterval(() => emit({ type: 'latency', source: 'load', p50: 40 + Math.random() * 10, p95: 90 + Math.random() * 30, p99: 150, rps: 200, errorRate: 0 } as never), 1000);
  }
  if (statsFile) writeFileSync(`${statsFile}.pid`, String(process.pid));
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let cpu = process.cpuUsage();
  let since = performance.now();
  process.on('SIGUSR2', () => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    const stats = {
      cpuPercent: ((used.user + used.system) / 1000 / (now - since)) * 100,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
      lines: total,
    };
    if (statsFile) writeFileSync(statsFile, JSON.stringify(stats));
    cpu = process.cpuUsage();
    since = now;
    delay.reset();
  });
  const look = { theme, glyphs: UNICODE_GLYPHS };
  const deck = mountDeck(<App run={{ store, isAudience: false }} onExit={() => deck.instance.unmount()} />, look, { stdout: process.stdout, stdin: process.stdin, stderr: process.stderr });
  void deck.exited.then(() => process.exit(0));
}
