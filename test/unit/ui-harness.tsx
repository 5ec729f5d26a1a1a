import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, type Instance } from 'ink';
import type { ReactNode } from 'react';
import type { RunController, RunOutcome } from '../../src/engine/controller';
import type { DeckEvent, UnstampedEvent } from '../../src/engine/events';
import { createViewStore, type ViewStore } from '../../src/engine/store';
import { ScenarioSchema, type Scenario } from '../../src/scenario/schema';
import { inkOptions } from '../../src/ui/render';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from '../../src/ui/theme/glyphs';
import { parseTheme } from '../../src/ui/theme/load';
import { LookProvider, type Look } from '../../src/ui/theme/context';
import { waitFor as sharedWaitFor } from '../helpers';

// Shared by the ui-* tests: a terminal of a given size that records what Ink
// writes, a scenario and the events of a run through it, and a controller
// that records what the deck asked of it.

/** A fake TTY stdout with a size; keeps every write. */
export class FakeTerminal extends EventEmitter {
  readonly isTTY = true;
  writes: string[] = [];
  constructor(public columns: number, public rows: number) {
    super();
  }
  write = (chunk: string) => {
    this.writes.push(chunk);
    return true;
  };
  /** Resizes and tells Ink, as a SIGWINCH would. */
  resize(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

/** A stdin Ink can read keys from. */
export class FakeInput extends EventEmitter {
  readonly isTTY = true;
  private buffer: string[] = [];
  setEncoding() {}
  setRawMode() {}
  ref() {}
  unref() {}
  resume() {}
  pause() {}
  read = () => this.buffer.shift() ?? null;
  /** Types keys: plain text, or escape sequences such as `\x1b[C` (right arrow). */
  press(data: string) {
    this.buffer.push(data);
    this.emit('readable');
  }
}

export const KEYS = { right: '\x1b[C', left: '\x1b[D', up: '\x1b[A', down: '\x1b[B', enter: '\r', escape: '\x1b', tab: '\t', ctrlC: '\x03' } as const;

const themesDir = join(__dirname, '..', '..', 'themes');

/** A look from a theme file in themes/. */
export function lookFor(name = 'dark', isUnicode = true): Look {
  const theme = parseTheme(name, readFileSync(join(themesDir, `${name}.yaml`), 'utf8'));
  return { theme, glyphs: isUnicode ? UNICODE_GLYPHS : ASCII_GLYPHS };
}

/** A mounted tree at a size: the last frame as text, and the raw writes. */
export interface Mounted {
  readonly terminal: FakeTerminal;
  readonly input: FakeInput;
  readonly instance: Instance;
  /** The most recent full frame (debug mode writes one per render). */
  lastFrame(): string;
  unmount(): void;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Strips colour and cursor sequences, for assertions on text. */
export function plain(text: string): string {
  return text.replace(ANSI, '');
}

/**
 * Mounts `node` on a fake terminal of `columns`×`rows`. `debug` (the default)
 * makes Ink write each full frame unthrottled, the way ink-testing-library does;
 * `debug: false` mounts exactly as the CLI does, for byte-level checks.
 */
export function mount(node: ReactNode, { columns = 80, rows = 24, look = lookFor(), debug = true }: { columns?: number; rows?: number; look?: Look; debug?: boolean } = {}): Mounted {
  const terminal = new FakeTerminal(columns, rows);
  const input = new FakeInput();
  const options = inkOptions({ stdout: terminal as unknown as NodeJS.WriteStream, stdin: input as unknown as NodeJS.ReadStream, stderr: terminal as unknown as NodeJS.WriteStream });
  const instance = render(<LookProvider look={look}>{node}</LookProvider>, { ...options, debug });
  return {
    terminal,
    input,
    instance,
    lastFrame: () => plain(terminal.writes.at(-1) ?? ''),
    unmount: () => {
      instance.unmount();
      instance.cleanup();
    },
  };
}

/** The shared waitFor, polling every 5 ms for at most 2 s: a render takes a turn or two of the loop. */
export async function waitFor(predicate: () => boolean, { timeoutMs = 2000, what = 'condition' } = {}): Promise<void> {
  await sharedWaitFor(predicate, { timeoutMs, intervalMs: 5, message: what });
}

/** A scenario with every phase, notes in Markdown, talking points, expectations and criteria. */
export const scenario: Scenario = ScenarioSchema.parse({
  id: 'lab-failover',
  title: 'Lose an API instance',
  hypothesis: 'When api-2 stops, the edge routes around it and p95 stays under 500 ms.',
  criteria: [
    { name: 'latency', measure: 'p95', tolerance: { lt: 500 } },
    { name: 'errors', measure: 'errorRate', tolerance: { lt: 0.01 } },
  ],
  steps: [
    { phase: 'baseline', title: 'Steady state', notes: '## Before we break it\nTraffic flows through **edge** to `api-1` and `api-2`.\n\n- p95 around 80 ms\n- no errors', say: ['Point at the sparkline: this is normal.'], expect: [{ text: 'Every instance ready' }] },
    { phase: 'inject', title: 'Stop api-2', notes: 'We stop *one* of two instances.', say: ['Ask the room: what will users see?'], run: [{ verb: 'stop', target: 'api' }], expect: [{ text: 'api-2 is down' }, { text: 'backendCB opens' }] },
    { phase: 'observe', title: 'Watch the breaker', notes: 'The breaker opens after failures.', expect: [{ text: 'Errors stay under 1 %' }] },
    { phase: 'restore', title: 'Start api-2 again', notes: 'Restore and watch recovery.', run: [{ verb: 'start', target: 'api' }] },
  ],
});

/** Stamps events with increasing times. */
export function stamp(events: UnstampedEvent[], start = 0, stepMs = 100): DeckEvent[] {
  return events.map((e, i) => ({ ...e, t: start + i * stepMs }) as DeckEvent);
}

/** The run started and in the inject phase: an instance down, the breaker open, faults pending, logs and latency flowing. */
export function injectedRun(): DeckEvent[] {
  const events: UnstampedEvent[] = [
    { type: 'run.started', runId: 'r1', scenario, environment: { name: 'lab', isLab: true }, mode: 'live', isAuto: false, startedAt: new Date(Date.now() - 60_000).toISOString() },
    { type: 'step.entered', index: 0, phase: 'baseline' },
    { type: 'status', source: 'lab', targets: [
      { name: 'edge', state: 'running', isReady: true, restarts: 0 },
      { name: 'api-1', state: 'running', isReady: true, restarts: 0 },
      { name: 'api-2', state: 'running', isReady: true, restarts: 0 },
      { name: 'backend', state: 'running', isReady: true, restarts: 1 },
    ] },
    { type: 'breaker', source: 'lab', name: 'backendCB', state: 'CLOSED', failureRate: 0 },
    { type: 'check', checkId: 'c0', kind: 'expect', step: 0, label: 'Every instance ready', status: 'met' },
    { type: 'step.finished', index: 0, status: 'done' },
    { type: 'step.entered', index: 1, phase: 'inject' },
    { type: 'action.started', actionId: 'a1', step: 1, target: 'api', verb: 'stop', driver: 'lab', summary: 'stop api-2', isProbe: false },
    { type: 'command.started', actionId: 'a1', commandId: 'c1', argv: ['lab', 'stop', 'api-2'], display: 'POST http://127.0.0.1:7070/services/api-2/stop', isShell: false, isDryRun: false },
    { type: 'command.output', commandId: 'c1', stream: 'stdout', lines: ['{"ok":true,"state":"stopped"}'] },
    { type: 'command.finished', commandId: 'c1', exitCode: 0, signal: null, durationMs: 42, isTimedOut: false, isCanceled: false },
    { type: 'action.finished', actionId: 'a1', status: 'ok', durationMs: 45 },
    { type: 'rollback.registered', undoId: 'u1', actionId: 'a1', summary: 'start api-2', isFault: true },
    { type: 'status', source: 'lab', targets: [{ name: 'api-2', state: 'stopped', isReady: false, restarts: 0 }] },
    { type: 'breaker', source: 'lab', name: 'backendCB', state: 'OPEN', failureRate: 62.5 },
    { type: 'check', checkId: 'c1', kind: 'expect', step: 1, label: 'api-2 is down', status: 'met', observed: 'stopped' },
    { type: 'check', checkId: 'c2', kind: 'expect', step: 1, label: 'backendCB opens', status: 'missed' },
    { type: 'log.lines', source: 'api-1', lines: [{ text: 'GET /products 200 12ms' }, { text: 'backendRetry: retrying attempt 2 after 120ms' }], dropped: 0 },
    { type: 'log.lines', source: 'edge', lines: [{ text: 'upstream api-2 ECONNREFUSED, marking down' }, { text: 'CircuitBreaker backendCB changed state from CLOSED to OPEN' }], dropped: 0 },
  ];
  const stamped = stamp(events, 0, 100);
  const latency = Array.from({ length: 60 }, (_, i) => ({
    type: 'latency' as const, t: 2100 + i * 500, source: 'load', p50: 40 + (i > 30 ? 200 : 0), p95: 80 + (i > 30 ? 600 : 0), p99: 120, rps: 50, errorRate: i > 30 ? 0.02 : 0,
  }));
  return [...stamped, ...latency];
}

/** A store with events folded in and published. */
export function storeWith(events: readonly DeckEvent[]): ViewStore {
  const store = createViewStore();
  for (const event of events) store.dispatch(event);
  store.flush();
  return store;
}

/** A controller that records the calls the deck makes. */
export function recordingController(outcome: RunOutcome = { status: 'aborted', exitCode: 3, pendingFaults: 0 }): RunController & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    next: () => void calls.push('next'),
    back: () => void calls.push('back'),
    runStep: () => void calls.push('runStep'),
    restore: () => void calls.push('restore'),
    halt: (reason) => void calls.push(`halt:${reason ?? ''}`),
    finish: async (status) => {
      calls.push(`finish:${status ?? ''}`);
      return outcome;
    },
    isBusy: () => false,
    done: new Promise(() => {}),
  };
}
