import { z } from 'zod';
import { RunModeSchema } from '../engine/events';

// A recording is JSON Lines: one header line, then one DeckEvent per line, in
// the order the bus emitted them. The header says what the recording is and
// how big the terminal was, so replay and export can draw it at that size.

/** The format name every recording's header carries. */
export const RECORDING_FORMAT = 'chaosdeck.recording';
/** The version this build writes; the reader accepts this one and older. */
export const RECORDING_VERSION = 1;

/** A terminal size in character cells. */
export const TerminalSizeSchema = z.strictObject({
  columns: z.number().int().positive(),
  rows: z.number().int().positive(),
});
export type TerminalSize = z.infer<typeof TerminalSizeSchema>;

/** The first line of a recording. */
export const RecordingHeaderSchema = z.object({
  format: z.literal(RECORDING_FORMAT),
  version: z.number().int().min(1).max(RECORDING_VERSION),
  runId: z.string(),
  scenario: z.object({ id: z.string(), title: z.string(), pack: z.string().optional() }),
  environment: z.object({ name: z.string(), isLab: z.boolean() }),
  mode: RunModeSchema,
  terminal: TerminalSizeSchema,
  chaosdeckVersion: z.string(),
  /** Wall-clock start, ISO 8601: event times are milliseconds after it. */
  startedAt: z.string(),
});
export type RecordingHeader = z.infer<typeof RecordingHeaderSchema>;

/** The size the deck is drawn at when a run has no terminal (headless runs, CI). */
export const DEFAULT_TERMINAL: TerminalSize = { columns: 120, rows: 36 };

/**
 * The terminal size to record: the real one when stdout is a terminal, else
 * `COLUMNS`×`LINES` when both are set, else DEFAULT_TERMINAL.
 */
export function terminalSizeOf(stdout: { isTTY?: boolean; columns?: number; rows?: number }, env: NodeJS.ProcessEnv): TerminalSize {
  if (stdout.isTTY && stdout.columns && stdout.rows) return { columns: stdout.columns, rows: stdout.rows };
  const columns = Number(env.COLUMNS);
  const rows = Number(env.LINES);
  if (Number.isInteger(columns) && columns > 0 && Number.isInteger(rows) && rows > 0) return { columns, rows };
  return DEFAULT_TERMINAL;
}

/** Parses `120x36` (or `120×36`) into a size; undefined when it is not one. */
export function parseTerminalSize(text: string): TerminalSize | undefined {
  const match = /^(\d+)\s*[x×]\s*(\d+)$/i.exec(text.trim());
  if (!match) return undefined;
  const size = { columns: Number(match[1]), rows: Number(match[2]) };
  return size.columns > 0 && size.rows > 0 ? size : undefined;
}
