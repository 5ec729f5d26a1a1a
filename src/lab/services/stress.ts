import type { Logger } from '../logger';

// Knobs that make a service misbehave from inside, the way a noisy neighbour
// or a leak would: a CPU hog that keeps the event loop busy for a share of
// every 100 ms, and memory that grows to a target at a steady rate (touched,
// so it counts in resident memory and the supervisor's limit sees it).

/** The CPU hog. */
export interface CpuHog {
  /** Busy share of the event loop, 0–100; 0 stops it. Ends by itself after `durationMs` when given. */
  set(percent: number, durationMs?: number): void;
  readonly percent: number;
  stop(): void;
}

const CPU_PERIOD_MS = 100;

/** Creates a CPU hog for this process. */
export function createCpuHog(logger: Logger): CpuHog {
  let percent = 0;
  let timer: NodeJS.Timeout | undefined;
  let endTimer: NodeJS.Timeout | undefined;
  const tick = () => {
    const busyUntil = performance.now() + (CPU_PERIOD_MS * percent) / 100;
    // Busy in slices of at most 20 ms so the process still notices its supervisor leaving.
    while (performance.now() < busyUntil) {
      const sliceEnd = Math.min(busyUntil, performance.now() + 20);
      while (performance.now() < sliceEnd) { /* burn */ }
      if (percent === 0) break;
    }
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    if (endTimer) clearTimeout(endTimer);
    timer = undefined;
    endTimer = undefined;
    if (percent > 0) logger.info('CPU hog stopped');
    percent = 0;
  };
  return {
    get percent() {
      return percent;
    },
    set(next, durationMs) {
      stop();
      percent = Math.max(0, Math.min(100, next));
      if (percent === 0) return;
      logger.warn(`CPU hog started: ${percent}% of the event loop${durationMs ? ` for ${Math.round(durationMs / 1000)} s` : ''}`);
      timer = setInterval(tick, CPU_PERIOD_MS);
      setImmediate(tick);
      if (durationMs && durationMs > 0) endTimer = setTimeout(stop, durationMs);
    },
    stop,
  };
}

/** Memory held on purpose. */
export interface MemoryHog {
  /** Grows (or shrinks at once) to `mb`, at `growMbPerSecond`; 0 releases everything. */
  set(mb: number, growMbPerSecond?: number): void;
  /** Adds `mb` at once and keeps it: the leak endpoint. */
  leak(mb: number): void;
  readonly heldMb: number;
  readonly targetMb: number;
  stop(): void;
}

const BLOCK_MB = 4;

/** Creates a memory hog for this process. */
export function createMemoryHog(logger: Logger): MemoryHog {
  const blocks: Buffer[] = [];
  let target = 0;
  let timer: NodeJS.Timeout | undefined;
  const held = () => blocks.length * BLOCK_MB;
  const allocate = () => {
    const block = Buffer.alloc(BLOCK_MB * 1024 * 1024, blocks.length % 251);
    blocks.push(block);
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    get heldMb() {
      return held();
    },
    get targetMb() {
      return target;
    },
    set(mb, growMbPerSecond = 64) {
      stop();
      target = Math.max(0, mb);
      while (held() > target) blocks.pop();
      if (target === 0) {
        logger.info('memory released');
        return;
      }
      logger.warn(`memory pressure: growing to ${target} MB at ${growMbPerSecond} MB/s`);
      const perTick = Math.max(1, Math.round((growMbPerSecond / 10) / BLOCK_MB));
      timer = setInterval(() => {
        for (let i = 0; i < perTick && held() < target; i += 1) allocate();
        if (held() >= target) stop();
      }, 100);
    },
    leak(mb) {
      const count = Math.max(1, Math.round(mb / BLOCK_MB));
      for (let i = 0; i < count; i += 1) allocate();
      target = Math.max(target, held());
      logger.warn(`leaked ${count * BLOCK_MB} MB (holding ${held()} MB)`);
    },
    stop,
  };
}

/** Resident memory of this process in MB. */
export function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / (1024 * 1024));
}
