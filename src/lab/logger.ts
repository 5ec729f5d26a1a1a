// Services log plain lines to stdout; the supervisor tags them with the service
// name and streams them to the deck. A hot error path (a fallback per request at
// 1,000 requests a second) would drown the pane, so repeated lines of one kind
// are sampled and the number held back is said out loud.

/** A line logger for one process. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Logs at most `perSecond` lines a second under `key`; reports how many were held back. */
  sampled(key: string, level: 'info' | 'warn' | 'error', message: string, perSecond?: number): void;
}

type Level = 'INFO' | 'WARN' | 'ERROR';

/** Creates a logger writing `ISO-time LEVEL message` lines to `write` (stdout by default). */
export function createLogger(write: (line: string) => void = (line) => process.stdout.write(line)): Logger {
  const windows = new Map<string, { start: number; count: number; held: number }>();
  const emit = (level: Level, message: string) => {
    write(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  };
  const levelOf = { info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;
  return {
    info: (m) => emit('INFO', m),
    warn: (m) => emit('WARN', m),
    error: (m) => emit('ERROR', m),
    sampled(key, level, message, perSecond = 5) {
      const now = Date.now();
      let window = windows.get(key);
      if (!window || now - window.start >= 1000) {
        if (window && window.held > 0) emit(levelOf[level], `(${window.held} similar lines held back in the last second: ${key})`);
        window = { start: now, count: 0, held: 0 };
        windows.set(key, window);
      }
      if (window.count < perSecond) {
        window.count += 1;
        emit(levelOf[level], message);
      } else {
        window.held += 1;
      }
    },
  };
}
