import { execa } from 'execa';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Redactor } from '../engine/redact';
import { formatArgv } from './quote';

// Drivers never import execa: they get a CommandRunner, so a test can hand them
// a recording runner and the deck a real one. Every command has a timeout, can
// be aborted, never rejects, and is echoed exactly as it runs (secrets masked).

/** One command to run. */
export interface CommandSpec {
  /** The program and its arguments; with `isShell`, argv[0] is a shell command line. */
  readonly argv: readonly string[];
  /** Run argv[0] through `sh -c`: only when a scenario says `shell:` explicitly. */
  readonly isShell?: boolean;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly input?: string;
  /** Defaults to 30 s; a hung command never freezes the deck. 0 means none: long-running sources, ended by their signal. */
  readonly timeoutMs?: number;
  /** Read-only commands (inspect, get) still run in dry-run, so the plan shows real values. */
  readonly isReadOnly?: boolean;
}

/** The outcome of a command: one shape for success and failure, like execa's. */
export interface CommandResult {
  readonly argv: readonly string[];
  readonly display: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  readonly isOk: boolean;
  readonly isTimedOut: boolean;
  readonly isCanceled: boolean;
  readonly isDryRun: boolean;
  /** Set when the program could not be started at all (ENOENT and friends). */
  readonly spawnError?: string;
}

/** Hooks a runner calls as a command progresses; the engine turns them into events. */
export interface CommandObserver {
  onStart?(info: { argv: readonly string[]; display: string; isShell: boolean; isDryRun: boolean }): void;
  onLine?(stream: 'stdout' | 'stderr', line: string): void;
  onFinish?(result: CommandResult): void;
}

/** Options for one call to a runner. */
export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly observer?: CommandObserver;
}

/** Runs commands; the only door to child processes for drivers and sources. */
export interface CommandRunner {
  run(spec: CommandSpec, options?: RunOptions): Promise<CommandResult>;
}

/** Options for the execa-backed runner. */
export interface ExecRunnerOptions {
  /** Show commands and run none of them (read-only ones excepted). */
  readonly isDryRun?: boolean;
  readonly redact?: Redactor;
  readonly defaultTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Renders what the audience sees for a spec. */
export function displayOf(spec: Pick<CommandSpec, 'argv' | 'isShell'>): string {
  return spec.isShell ? `sh -c ${formatArgv([spec.argv[0] ?? ''])}` : formatArgv(spec.argv);
}

// The real runner: execa with `reject: false`, a timeout, an AbortSignal, and
// output streamed line by line to the observer.
export function createExecRunner(options: ExecRunnerOptions = {}): CommandRunner {
  const redact = options.redact ?? ((s: string) => s);
  return {
    async run(spec, { signal, observer } = {}) {
      const isShell = spec.isShell === true;
      const display = redact(displayOf(spec));
      const shownArgv = spec.argv.map(redact);
      const isDryRun = options.isDryRun === true && spec.isReadOnly !== true;
      observer?.onStart?.({ argv: shownArgv, display, isShell, isDryRun });
      const started = performance.now();
      if (isDryRun) {
        const result = dryResult(shownArgv, display);
        observer?.onFinish?.(result);
        return result;
      }
      const [file, ...args] = isShell ? ['sh', '-c', spec.argv[0] ?? ''] : spec.argv;
      if (!file) throw new TypeError('CommandSpec.argv is empty');
      const timeoutMs = spec.timeoutMs ?? options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
      const subprocess = execa(file, args, {
        reject: false,
        timeout: timeoutMs,
        cancelSignal: signal,
        // Its own process group, so a timeout or an abort also ends what it started
        // (the `sleep` under `sh -c`), and the presenter's Ctrl+C reaches the deck, not the undo.
        detached: true,
        forceKillAfterDelay: 2_000,
        env: spec.env ? { ...spec.env } : undefined,
        extendEnv: true,
        cwd: spec.cwd,
        input: spec.input,
        stdin: spec.input === undefined ? 'ignore' : 'pipe',
        stripFinalNewline: true,
        maxBuffer: 8 * 1024 * 1024,
      });
      const stopGroup = killGroupOn(subprocess.pid, signal, timeoutMs);
      const readers: Promise<void>[] = [];
      if (observer?.onLine) {
        readers.push(pipeLines(subprocess.stdout, (l) => observer.onLine?.('stdout', redact(l))));
        readers.push(pipeLines(subprocess.stderr, (l) => observer.onLine?.('stderr', redact(l))));
      }
      const outcome = await subprocess;
      await Promise.all(readers);
      // execa ends the direct child; whatever it started dies with its group.
      stopGroup(outcome.timedOut === true || outcome.isCanceled === true);
      const spawnError = outcome.failed && outcome.exitCode === undefined && !outcome.isCanceled && !outcome.timedOut
        ? (outcome.cause instanceof Error ? outcome.cause.message : outcome.shortMessage)
        : undefined;
      const result: CommandResult = {
        argv: shownArgv,
        display,
        exitCode: outcome.exitCode ?? null,
        signal: outcome.signal ?? null,
        stdout: redact(String(outcome.stdout ?? '')),
        stderr: redact(spawnError && !outcome.stderr ? spawnError : String(outcome.stderr ?? '')),
        durationMs: performance.now() - started,
        isOk: !outcome.failed,
        isTimedOut: outcome.timedOut === true,
        isCanceled: outcome.isCanceled === true,
        isDryRun: false,
        ...(spawnError ? { spawnError: redact(spawnError) } : {}),
      };
      observer?.onFinish?.(result);
      return result;
    },
  };
}

// Sends SIGTERM, then SIGKILL after 2 s, to the command's whole process group
// when it is aborted or runs out of time. Returns a function that disarms it,
// ending the group first when the command was cut short.
function killGroupOn(pid: number | undefined, signal: AbortSignal | undefined, timeoutMs: number): (isCutShort: boolean) => void {
  if (pid === undefined) return () => undefined;
  const kill = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone already.
    }
  };
  let forceTimer: NodeJS.Timeout | undefined;
  const end = () => {
    kill('SIGTERM');
    forceTimer = setTimeout(() => kill('SIGKILL'), 2_000);
    forceTimer.unref();
  };
  const timer = timeoutMs > 0 && Number.isFinite(timeoutMs) ? setTimeout(end, timeoutMs) : undefined;
  timer?.unref();
  signal?.addEventListener('abort', end, { once: true });
  return (isCutShort) => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', end);
    if (isCutShort && forceTimer === undefined) end();
  };
}

function dryResult(argv: readonly string[], display: string): CommandResult {
  return {
    argv, display, exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 0,
    isOk: true, isTimedOut: false, isCanceled: false, isDryRun: true,
  };
}

function pipeLines(stream: Readable | null | undefined, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', onLine);
    lines.on('close', resolve);
  });
}
