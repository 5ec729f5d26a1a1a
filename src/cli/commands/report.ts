import { join, relative, resolve } from 'node:path';
import { readRecording, describeProblem } from '../../record/reader';
import { writeReport } from '../../report/write';
import { ExitCode, type CliCommand } from '../command';
import { VERSION } from '../version';

// `chaosdeck report <recording>`: report.md and journal.json from a recorded
// run, computed from its events by the same measures the live run used.

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'write report.md and a Chaos Toolkit journal.json from a recording',
  usage: 'chaosdeck report <recording.jsonl> [--out DIR]\n\n'
    + 'Writes the hypothesis, the verdict table, baseline/impact/recovery figures, the timeline of\n'
    + 'steps and commands, breaker transitions, restarts and faults left (report.md), and the run in\n'
    + 'Chaos Toolkit\'s journal shape (journal.json). Exit 0 when the verdict is PASS, 1 otherwise.',
  options: { out: { type: 'string', short: 'o' } },
  optionHelp: { out: 'directory to write into (default reports/<run id>)' },
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) {
      io.stderr.write('chaosdeck report: which recording? (recordings/*.jsonl)\n');
      return ExitCode.usage;
    }
    const recording = await readRecording(resolve(io.cwd, file));
    if (recording.problem) io.stderr.write(`chaosdeck report: the recording stops early; reporting up to ${describeProblem(recording.problem)}\n`);
    const dir = typeof args.values.out === 'string' ? resolve(io.cwd, args.values.out) : join(io.cwd, 'reports', recording.header.runId);
    const written = writeReport(dir, recording.events, { chaosdeckVersion: VERSION });
    const shown = (path: string) => relative(io.cwd, path) || path;
    io.stdout.write(`${shown(written.markdown)}\n${shown(written.journal)}\n`);
    io.stderr.write(`verdict: ${written.summary.outcome ?? 'none'} (${written.summary.status})\n`);
    return written.summary.outcome === 'PASS' ? ExitCode.ok : ExitCode.failed;
  },
};
