import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { percentile, type Benchmark } from './harness';

// The deck's budgets (issue 4). Each measures a bundled process the way the
// CLI runs: esbuild bundles of the deck on a synthetic
// run fed through the sources' line batcher, bench/deck-feed.tsx) and bench/deck-hello.tsx (a bare
// Ink hello-world), in tmux where a real terminal matters.

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let sessions = 0;
let bundles: Promise<{ deck: string; hello: string; dir: string }> | undefined;

function bundle() {
  bundles ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deck-bench-'));
    const stub = join(dir, 'devtools-stub.js');
    writeFileSync(stub, 'export default {};\nexport const connectToDevTools = () => {};\n');
    await build({
      absWorkingDir: root,
      entryPoints: { deck: 'bench/deck-feed.tsx', hello: 'bench/deck-hello.tsx' },
      outdir: dir, bundle: true, platform: 'node', format: 'esm', target: 'node20', jsx: 'automatic', logLevel: 'warning',
      alias: { 'react-devtools-core': stub }, define: { 'process.env.NODE_ENV': '"production"' },
      banner: { js: "import { createRequire as __bench } from 'node:module'; const require = __bench(import.meta.url);" },
      external: ['cpu-features', '*.node', 'playwright-core'],
    });
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return { deck: join(dir, 'deck.js'), hello: join(dir, 'hello.js'), dir };
  })();
  return bundles;
}

const childEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, CHAOSDECK_ROOT: root, FORCE_COLOR: '1' };
  // Ink draws no live frames when it thinks it runs in CI.
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
  return env;
};

/**
 * Milliseconds from spawn until the terminal shows `marker`, with the process
 * on a pseudo-terminal of 160×48 (script(1)): the deck refuses a pipe, and Ink
 * lays out for the terminal it has. Both sides of a comparison run this way.
 */
function timeToFirstFrameInPty(command: string[], marker: string, env: NodeJS.ProcessEnv = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const shell = `stty cols 160 rows 48; exec ${command.map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ')}`;
    const child = spawn('script', ['-qfec', shell, '/dev/null'], { env: { ...childEnv(), ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "${marker}" within 15 s`));
    }, 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(marker)) return;
      clearTimeout(timer);
      resolve(performance.now() - started);
      child.kill('SIGKILL');
    });
  });
}

/** Milliseconds from spawn until stdout shows `marker`. */
function timeToFirstFrame(script: string, args: string[], marker: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script, ...args], { env: childEnv(), stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "${marker}" within 10 s`));
    }, 10_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes(marker)) return;
      clearTimeout(timer);
      resolve(performance.now() - started);
      child.kill('SIGKILL');
    });
  });
}

interface Stats { cpuPercent: number; loopDelayP99Ms: number; rssMb: number; heapUsedMb: number; lines: number }

/** The feed process in a tmux session of the given size. */
async function withDeckInTmux<T>(rate: number, size: [number, number], use: (session: { name: string; stats: () => Promise<Stats>; capture: () => string; keys: (key: string) => void }) => Promise<T>, limit?: number): Promise<T> {
  const { deck, dir } = await bundle();
  const name = `deck-bench-${process.pid}-${++sessions}`;
  const statsFile = join(dir, `${name}.json`);
  const env = Object.entries(childEnv()).filter(([k]) => /^(PATH|HOME|LANG|LC_ALL|TERM|CHAOSDECK_ROOT|FORCE_COLOR)$/.test(k)).map(([k, v]) => `${k}=${JSON.stringify(v ?? '')}`).join(' ');
  execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(size[0]), '-y', String(size[1]), `env -i ${env} ${process.execPath} ${deck} ${rate} ${statsFile}${limit !== undefined ? ` ${limit}` : ''}`]);
  try {
    const deadline = Date.now() + 10_000;
    while (!existsSync(`${statsFile}.pid`)) {
      if (Date.now() > deadline) throw new Error('the deck did not start');
      await sleep(50);
    }
    const pid = Number(readFileSync(`${statsFile}.pid`, 'utf8'));
    const stats = async (): Promise<Stats> => {
      rmSync(statsFile, { force: true });
      process.kill(pid, 'SIGUSR2');
      for (let i = 0; i < 500 && !existsSync(statsFile); i++) await sleep(10);
      if (!existsSync(statsFile)) throw new Error('the deck did not answer SIGUSR2 within 5 s (event loop blocked?)');
      return JSON.parse(readFileSync(statsFile, 'utf8')) as Stats;
    };
    return await use({
      name,
      stats,
      capture: () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { timeout: 5000 }).toString(),
      keys: (key) => execFileSync('tmux', ['send-keys', '-t', name, key], { timeout: 5000 }),
    });
  } finally {
    execFileSync('tmux', ['kill-session', '-t', name]);
  }
}

/** CPU and event-loop delay over `seconds` after a warm-up. */
async function steadyStats(rate: number, seconds: number): Promise<Stats> {
  return withDeckInTmux(rate, [160, 48], async ({ stats }) => {
    await sleep(3000);
    await stats();
    await sleep(seconds * 1000);
    return stats();
  });
}

export const benchmarks: Benchmark[] = [
  {
    name: 'deck: time to first frame vs bare Ink hello-world',
    unit: 'ms',
    budget: 1.3,
    budgetIsRatio: true,
    async run() {
      const { deck, hello } = await bundle();
      const deckTimes: number[] = [];
      const helloTimes: number[] = [];
      for (let i = 0; i < 7; i++) {
        helloTimes.push(await timeToFirstFrame(hello, [], 'hello'));
        deckTimes.push(await timeToFirstFrame(deck, ['0'], 'Breakers'));
      }
      return { value: percentile(deckTimes, 50), baseline: percentile(helloTimes, 50), note: 'median of 7, stdout piped' };
    },
  },
  {
    name: 'deck: CLI home screen first frame vs bare Ink hello-world (pty)',
    unit: 'ms',
    budget: 1.3,
    budgetIsRatio: true,
    async run() {
      // The real `chaosdeck` (bin/chaosdeck.js → dist/, as built by npm run build) to its
      // home screen's first frame, against the hello-world bundle, alternating, both in a pty.
      const { hello } = await bundle();
      const state = mkdtempSync(join(tmpdir(), 'deck-bench-state-'));
      const deckTimes: number[] = [];
      const helloTimes: number[] = [];
      try {
        for (let i = 0; i < 9; i++) {
          helloTimes.push(await timeToFirstFrameInPty([process.execPath, hello], 'hello'));
          deckTimes.push(await timeToFirstFrameInPty([process.execPath, join(root, 'bin', 'chaosdeck.js')], 'chaosdeck', { XDG_STATE_HOME: state }));
        }
      } finally {
        rmSync(state, { recursive: true, force: true });
      }
      return { value: percentile(deckTimes, 50), baseline: percentile(helloTimes, 50), note: `median of 9; hello p90 ${percentile(helloTimes, 90).toFixed(0)} ms, deck p90 ${percentile(deckTimes, 90).toFixed(0)} ms` };
    },
  },
  {
    name: 'deck: CPU at 50,000 log lines/s, 160×48',
    unit: '% of a core',
    budget: 60,
    async run() {
      const stats = await steadyStats(50_000, 10);
      return { value: stats.cpuPercent, note: `event-loop delay p99 ${stats.loopDelayP99Ms.toFixed(1)} ms, ${stats.lines} lines` };
    },
  },
  {
    name: 'deck: event-loop delay p99 at 50,000 log lines/s',
    unit: 'ms',
    budget: 50,
    async run() {
      const stats = await steadyStats(50_000, 10);
      return { value: stats.loopDelayP99Ms };
    },
  },
  {
    name: 'deck: key→screen median at 50,000 log lines/s (tmux)',
    unit: 'ms',
    budget: 50,
    async run() {
      return withDeckInTmux(50_000, [160, 48], async ({ capture, keys }) => {
        await sleep(3000);
        const times: number[] = [];
        for (let i = 0; i < 12; i++) {
          const want = i % 2 === 0 ? 'PAUSED' : 'FOLLOW';
          const started = performance.now();
          keys('s');
          while (!capture().includes(`Logs  ${want}`)) {
            if (performance.now() - started > 3000) throw new Error(`no ${want} after s`);
          }
          times.push(performance.now() - started);
          await sleep(150);
        }
        return { value: percentile(times, 50), note: `p90 ${percentile(times, 90).toFixed(0)} ms; includes tmux capture-pane polling` };
      });
    },
  },
  {
    name: 'deck: idle CPU (no live data, clock ticking)',
    unit: '% of a core',
    budget: 2,
    async run() {
      // Idle means nothing has changed for a while. In the first minute the
      // status ages and breaker times read in seconds (`12s`), so the deck
      // legitimately draws a frame a second; after it they read `1m` and only
      // the header clock ticks (painted in place, no frame). Both are reported;
      // the budget applies to the idle deck.
      return withDeckInTmux(0, [160, 48], async ({ stats }) => {
        await sleep(3000);
        await stats();
        await sleep(10_000);
        const firstMinute = await stats();
        await sleep(55_000);
        await stats();
        await sleep(10_000);
        const idle = await stats();
        return { value: idle.cpuPercent, note: `first minute (ages in seconds, a frame a second): ${firstMinute.cpuPercent.toFixed(2)} %; CPU time from process.cpuUsage` };
      });
    },
  },
  {
    name: 'deck: RSS after 1,000,000 log lines',
    unit: 'MB',
    budget: 200,
    async run() {
      const lines = 1_000_000;
      return withDeckInTmux(200_000, [160, 48], async ({ stats }) => {
        // A deadline on the whole run: on a loaded machine the feed falls behind
        // its rate, and a run that cannot reach 1M lines must fail, not hang.
        const started = Date.now();
        const deadline = started + 120_000;
        let current = await stats();
        let peak = current;
        while (current.lines < lines) {
          if (Date.now() > deadline) throw new Error(`only ${current.lines} lines in ${Math.round((Date.now() - started) / 1000)} s (peak RSS ${peak.rssMb.toFixed(0)} MB)`);
          await sleep(1000);
          current = await stats();
          if (current.rssMb > peak.rssMb) peak = current;
        }
        const fedIn = (Date.now() - started) / 1000;
        // The feed stops at 1M lines; what the deck holds after them is measured
        // once the last batches are drawn. The peak while flooding is reported too.
        await sleep(3000);
        current = await stats();
        return { value: current.rssMb, note: `${current.lines} lines fed in ${fedIn.toFixed(0)} s; heap used after ${current.heapUsedMb.toFixed(0)} MB; peak RSS while flooding ${peak.rssMb.toFixed(0)} MB (heap used ${peak.heapUsedMb.toFixed(0)} MB)` };
      }, lines);
    },
  },
];
