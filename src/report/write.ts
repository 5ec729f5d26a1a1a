import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DeckEvent } from '../engine/events';
import { ctkJournalFromSummary } from './ctk-journal';
import { renderReportMarkdown } from './markdown';
import { summarizeRun, type RunSummary } from './summary';

// Where reports land on disk: report.md and journal.json side by side, the
// same from `chaosdeck report <recording>` and from `run --report DIR`.

/** Files a report wrote. */
export interface WrittenReport {
  readonly summary: RunSummary;
  readonly markdown: string;
  readonly journal: string;
}

/** Writes report.md and journal.json into `dir` (created if needed). */
export function writeReport(dir: string, events: Iterable<DeckEvent>, options: { chaosdeckVersion: string }): WrittenReport {
  const summary = summarizeRun(events);
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const markdown = join(out, 'report.md');
  const journal = join(out, 'journal.json');
  writeFileSync(markdown, renderReportMarkdown(summary));
  writeFileSync(journal, `${JSON.stringify(ctkJournalFromSummary(summary, options), null, 2)}\n`);
  return { summary, markdown, journal };
}

/** Writes only the Chaos Toolkit journal, to `file`. */
export function writeJournal(file: string, events: Iterable<DeckEvent>, options: { chaosdeckVersion: string }): string {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(ctkJournalFromSummary(summarizeRun(events), options), null, 2)}\n`);
  return path;
}
