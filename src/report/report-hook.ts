import { resolve } from 'node:path';
import type { DeckEvent } from '../engine/events';
import { messageOf } from '../engine/errors';
import { registerRunHook } from '../cli/run-hooks';
import { VERSION } from '../cli/version';
import { writeJournal, writeReport } from './write';

// `run --report DIR` and `--journal FILE`: keep the run's events (all but
// source log lines, which no figure reads) and write the report when the run
// has ended, so a pipeline gets report.md and journal.json next to the exit code.

registerRunHook(async ({ io, values }) => {
  const reportDir = typeof values.report === 'string' ? values.report : null;
  const journalFile = typeof values.journal === 'string' ? values.journal : null;
  if (!reportDir && !journalFile) return null;
  const events: DeckEvent[] = [];
  return {
    sinks: [(event) => { if (event.type !== 'log.lines') events.push(event); }],
    async close() {
      if (!events.some((e) => e.type === 'run.started')) return;
      const options = { chaosdeckVersion: VERSION };
      try {
        if (reportDir) {
          const written = writeReport(resolve(io.cwd, reportDir), events, options);
          io.stderr.write(`report: ${written.markdown} and ${written.journal}\n`);
        }
        if (journalFile) io.stderr.write(`journal: ${writeJournal(resolve(io.cwd, journalFile), events, options)}\n`);
      } catch (error) {
        io.stderr.write(`chaosdeck: could not write the report: ${messageOf(error)}\n`);
      }
    },
  };
});
