import { createExecRunner } from '../../drivers/exec';
import type { RunHost } from '../../engine/controller';
import { runUndo } from '../../engine/action-runner';
import { createBus } from '../../engine/bus';
import { markLeftoverDone, readLeftoverJournals } from '../../engine/journal';
import { stateDir } from '../../engine/state-dir';
import { templateValues } from '../../scenario/template';
import { palette, shouldColor } from '../colors';
import { ExitCode, type CliCommand } from '../command';
import { allDrivers } from '../drivers';
import { createTimelinePrinter } from '../timeline';

// `chaosdeck restore`: undoes the faults a killed deck left behind, from the
// write-ahead journal alone (no scenario file needed), newest first.

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'undo faults left behind by a run that was killed',
  usage: 'chaosdeck restore [--list] [--force]\n\n'
    + 'Reads the rollback journal in the state directory and runs every pending undo,\n'
    + 'newest first. Exit 0 when nothing is left, 4 when an undo failed.',
  options: { list: { type: 'boolean' }, force: { type: 'boolean' } },
  optionHelp: { list: 'only show what is pending', force: 'also undo faults of a run that is still alive' },
  async run(args, io) {
    const p = palette(shouldColor(io.stdout, io.env));
    const dir = stateDir(io.env);
    const journals = readLeftoverJournals(dir);
    const live = journals.filter((j) => j.isLive && j.pid !== process.pid);
    const targets = journals.filter((j) => args.values.force === true || !j.isLive);
    for (const j of live) {
      if (args.values.force !== true) io.stderr.write(p.warn(`run ${j.runId} (pid ${j.pid}) is still running with ${j.pending.length} fault(s); it will restore them itself (--force to undo now)\n`));
    }
    const count = targets.reduce((n, j) => n + j.pending.length, 0);
    if (count === 0) {
      io.stdout.write(`${p.ok('✓')} nothing to restore\n`);
      return ExitCode.ok;
    }
    for (const j of targets) for (const e of [...j.pending].reverse()) io.stdout.write(`  ${p.warn('•')} ${j.scenarioId}: ${e.undo.summary} ${p.dim(`(${e.driver})`)}\n`);
    if (args.values.list === true) return count > 0 ? ExitCode.restoreIncomplete : ExitCode.ok;
    const registry = allDrivers();
    const bus = createBus({ sinks: [createTimelinePrinter({ write: (t) => io.stdout.write(t), palette: p })] });
    const host: RunHost = { confirm: async () => true };
    let failed = 0;
    for (const journal of targets) {
      const pending = [...journal.pending].reverse();
      for (const [i, entry] of pending.entries()) {
        const deps = {
          bus, registry, environment: entry.environment, runner: createExecRunner(), mode: 'live' as const, host,
          stateDir: dir, runId: journal.runId, scenarioId: journal.scenarioId, templateValues: templateValues(entry.environment),
        };
        const result = await runUndo(deps, entry, new AbortController().signal);
        if (result.isOk) markLeftoverDone(journal, entry.undoId, i === pending.length - 1 && failed === 0);
        else failed++;
      }
    }
    if (failed > 0) {
      io.stderr.write(p.error(`${failed} undo(s) failed; fix the cause and run \`chaosdeck restore\` again\n`));
      return ExitCode.restoreIncomplete;
    }
    io.stdout.write(`${p.ok('✓')} restored ${count} fault(s)\n`);
    return ExitCode.ok;
  },
};
