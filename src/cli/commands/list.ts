import { listScenarios } from '../../scenario/catalog';
import { formatDuration, durationMs } from '../../scenario/duration';
import { palette, shouldColor } from '../colors';
import { ExitCode, type CliCommand } from '../command';

// `chaosdeck list`: the packs and their scenarios, with what each needs.

export const listCommand: CliCommand = {
  name: 'list',
  aliases: ['ls'],
  summary: 'list the scenario packs and their scenarios',
  usage: 'chaosdeck list [--json]',
  options: { json: { type: 'boolean' } },
  optionHelp: { json: 'print the catalog as JSON' },
  async run(args, io) {
    const entries = await listScenarios();
    if (args.values.json) {
      io.stdout.write(`${JSON.stringify(entries.map((e) => ({
        pack: e.pack, file: e.file, profiles: e.profiles, error: e.error,
        ...(e.loaded ? { id: e.loaded.scenario.id, title: e.loaded.scenario.title, difficulty: e.loaded.scenario.difficulty, week: e.loaded.scenario.week, duration: e.loaded.scenario.duration, requirements: e.loaded.scenario.requirements } : {}),
      })), null, 2)}\n`);
      return ExitCode.ok;
    }
    const p = palette(shouldColor(io.stdout, io.env));
    let pack = '';
    for (const entry of entries) {
      if (entry.pack !== pack) {
        pack = entry.pack;
        io.stdout.write(`\n${p.bold(pack)} ${p.dim(`profiles: ${entry.profiles.join(', ') || 'none'}`)}\n`);
      }
      if (!entry.loaded) {
        io.stdout.write(`  ${p.error('✗')} ${entry.file}: ${entry.error?.split('\n')[0]}\n`);
        continue;
      }
      const s = entry.loaded.scenario;
      const meta = [s.difficulty, s.duration !== undefined ? formatDuration(durationMs(s.duration)) : '', s.week ? `week ${s.week}` : ''].filter(Boolean).join(' · ');
      io.stdout.write(`  ${s.id.padEnd(34)} ${s.title} ${p.dim(meta)}\n`);
    }
    return ExitCode.ok;
  },
};
