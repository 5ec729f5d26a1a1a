import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { UndoSpec } from '../drivers/driver';
import type { Binding, Environment } from '../scenario/environment';

// The write-ahead rollback journal. Before an action changes anything its undo
// is appended here and fsynced; when the undo has run, a `done` line follows.
// Whatever kills the deck — Ctrl+C, a crash, kill -9 — the next start can read
// what is still injected and `chaosdeck restore` can undo it from this file alone.

/** One undo, with everything a fresh process needs to run it. */
export interface JournalEntry {
  readonly undoId: string;
  readonly runId: string;
  readonly scenarioId: string;
  readonly driver: string;
  readonly targetName: string | null;
  readonly binding: Binding | null;
  readonly environment: Environment;
  readonly undo: UndoSpec;
  readonly createdAt: string;
}

type Line =
  | { op: 'run'; runId: string; scenarioId: string; pid: number; startedAt: string }
  | { op: 'undo'; entry: JournalEntry }
  | { op: 'done'; undoId: string };

/** A run's journal file. */
export interface RollbackJournal {
  readonly file: string;
  /** Appends an undo and fsyncs before returning: only then may the action run. */
  append(entry: JournalEntry): void;
  /** Records that an undo ran successfully. */
  markDone(undoId: string): void;
  /** Undos not yet done, oldest first. */
  pending(): JournalEntry[];
  /** Closes the file; removes it when nothing is pending. */
  close(): void;
}

const journalDir = (stateDir: string) => join(stateDir, 'journal');

/** A journal kept in memory only: dry-runs plan their undos without leaving anything for `restore`. */
export function volatileJournal(): RollbackJournal {
  const entries = new Map<string, JournalEntry>();
  return {
    file: '',
    append: (entry) => void entries.set(entry.undoId, entry),
    markDone: (undoId) => void entries.delete(undoId),
    pending: () => [...entries.values()],
    close: () => undefined,
  };
}

/** Opens (creates) the journal of a run. */
export function openJournal(stateDir: string, meta: { runId: string; scenarioId: string }): RollbackJournal {
  const dir = journalDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${meta.runId}.jsonl`);
  let fd: number | null = openSync(file, 'a', 0o600);
  const entries = new Map<string, JournalEntry>();
  const write = (line: Line) => {
    if (fd === null) fd = openSync(file, 'a', 0o600);
    writeSync(fd, `${JSON.stringify(line)}\n`);
    fsyncSync(fd);
  };
  write({ op: 'run', runId: meta.runId, scenarioId: meta.scenarioId, pid: process.pid, startedAt: new Date().toISOString() });
  return {
    file,
    append(entry) {
      write({ op: 'undo', entry });
      entries.set(entry.undoId, entry);
    },
    markDone(undoId) {
      if (!entries.has(undoId)) return;
      write({ op: 'done', undoId });
      entries.delete(undoId);
    },
    pending: () => [...entries.values()],
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
      if (entries.size === 0) rmSync(file, { force: true });
    },
  };
}

/** A journal left behind by a run, with what it still has to undo. */
export interface LeftoverJournal {
  readonly file: string;
  readonly runId: string;
  readonly scenarioId: string;
  readonly pid: number;
  /** True when the process that wrote it is still running (its faults belong to a live run). */
  readonly isLive: boolean;
  readonly pending: readonly JournalEntry[];
}

/** Reads every journal in the state directory that still has pending undos. */
export function readLeftoverJournals(stateDir: string): LeftoverJournal[] {
  const dir = journalDir(stateDir);
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  const out: LeftoverJournal[] = [];
  for (const name of files) {
    const file = join(dir, name);
    const parsed = parseJournal(readFileSync(file, 'utf8'));
    if (!parsed) continue;
    if (parsed.pending.length === 0) {
      if (!isAlive(parsed.pid)) rmSync(file, { force: true });
      continue;
    }
    out.push({ file, ...parsed, isLive: isAlive(parsed.pid) });
  }
  return out;
}

function parseJournal(text: string): Omit<LeftoverJournal, 'file' | 'isLive'> | null {
  let header: Extract<Line, { op: 'run' }> | undefined;
  const entries = new Map<string, JournalEntry>();
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      continue; // A torn last line after a crash: everything before it still counts.
    }
    if (line.op === 'run') header = line;
    else if (line.op === 'undo') entries.set(line.entry.undoId, line.entry);
    else if (line.op === 'done') entries.delete(line.undoId);
  }
  if (!header) return null;
  return { runId: header.runId, scenarioId: header.scenarioId, pid: header.pid, pending: [...entries.values()] };
}

/** Appends `done` to a leftover journal after `restore` undid an entry; removes the file when empty. */
export function markLeftoverDone(journal: LeftoverJournal, undoId: string, isLast: boolean): void {
  const fd = openSync(journal.file, 'a', 0o600);
  writeSync(fd, `${JSON.stringify({ op: 'done', undoId } satisfies Line)}\n`);
  fsyncSync(fd);
  closeSync(fd);
  if (isLast) rmSync(journal.file, { force: true });
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Faults still injected by runs that are no longer alive — the home screen's warning. */
export function pendingFaults(stateDir: string): { runId: string; scenarioId: string; summary: string }[] {
  return readLeftoverJournals(stateDir)
    .filter((j) => !j.isLive)
    .flatMap((j) => j.pending.map((e) => ({ runId: j.runId, scenarioId: j.scenarioId, summary: e.undo.summary })));
}
