import type { UnstampedEvent } from '../engine/events';
import type { CommandResult, CommandRunner, CommandSpec } from '../drivers/exec';
import type { Source } from '../drivers/driver';
import { createLineBatcher } from './batch';

// Long-running commands (`kubectl logs -f`, `docker events`, `journalctl -fu`,
// a bpftrace one-liner) feed panes line by line. They run through the same
// runner as actions, with no timeout, and stop when the source is stopped.

/** Options for a streamed command. */
export interface CommandStreamOptions {
  readonly id: string;
  readonly runner: CommandRunner;
  readonly spec: CommandSpec;
  /** The run's signal; stopping the run stops the command. */
  readonly signal: AbortSignal;
  readonly onLine: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called once when the command ends by itself (not when stopped). */
  readonly onExit?: (result: CommandResult) => void;
}

/** Starts a command whose output never ends on its own; `stop()` aborts it and waits for it to exit. */
export function streamCommand(options: CommandStreamOptions): Source {
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  let isStopped = false;
  const done = options.runner
    .run({ timeoutMs: 0, isReadOnly: true, ...options.spec }, {
      signal: controller.signal,
      observer: { onLine: (stream, line) => options.onLine(line, stream) },
    })
    .then((result) => {
      if (!isStopped && !controller.signal.aborted) options.onExit?.(result);
    })
    .catch(() => undefined)
    .finally(() => options.signal.removeEventListener('abort', abort));
  return {
    id: options.id,
    async stop() {
      isStopped = true;
      controller.abort();
      // A shell's grandchild (`sh -c '…; sleep 30'`) can hold the output pipe open
      // after the shell is killed; stopping never waits on it for long.
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    },
  };
}

const STOP_WAIT_MS = 2_500;

/** A log source: a streamed command whose lines are batched into `log.lines` events. */
export function streamLogLines(
  options: Omit<CommandStreamOptions, 'onLine' | 'onExit'> & {
    readonly emit: (event: UnstampedEvent) => void;
    /** Rewrites or drops (null) a line before it reaches the pane. */
    readonly transform?: (line: string) => string | null;
    /** Also sees every line, for readers such as the resilience4j log parser. */
    readonly observe?: (line: string) => void;
  },
): Source {
  const batcher = createLineBatcher({
    onFlush: (lines, dropped) => options.emit({ type: 'log.lines', source: options.id, lines, dropped }),
  });
  const inner = streamCommand({
    ...options,
    onLine: (line) => {
      options.observe?.(line);
      const shown = options.transform ? options.transform(line) : line;
      if (shown !== null) batcher.push(shown, Date.now());
    },
    onExit: (result) => {
      batcher.flush();
      options.emit(exitNotice(options.id, result));
    },
  });
  return {
    id: options.id,
    async stop() {
      await inner.stop();
      batcher.close();
    },
  };
}

/** The notice shown when a feed's command ends by itself, so a silent pane is explained. */
export function exitNotice(id: string, result: CommandResult): UnstampedEvent {
  const why = result.spawnError ?? (result.stderr.trim().split('\n').pop() || `exit ${result.exitCode ?? result.signal}`);
  return { type: 'notice', level: result.isOk ? 'info' : 'warn', text: `source ${id} ended: ${why}` };
}
