import { stateDir } from '../../engine/state-dir';
import { loadLearningPath } from '../../learn/path';
import { entryProgress, positionOf } from '../../learn/position';
import { readProgress, resetProgress } from '../../learn/progress';
import { palette, shouldColor } from '../colors';
import { ExitCode, type CliCommand } from '../command';

// `chaosdeck learn`: the four-week learning path for a self-learner — what is
// done, what is next, and the question to think about after each scenario.
// Progress comes from runs themselves (learn/progress-hook.ts).

const SUBCOMMANDS = ['status', 'next', 'reflect', 'reset'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

export const learnCommand: CliCommand = {
  name: 'learn',
  summary: 'the four-week learning path: progress, next up, reflection questions',
  usage: 'chaosdeck learn [status | next | reflect [pack/id] | reset] [--json]\n\n'
    + 'status (the default) lists the weeks and where you are; next prints the scenario\n'
    + 'to run next and how; reflect prints the question for a scenario (or for every one\n'
    + 'you have run); reset forgets your progress. Progress is recorded whenever a\n'
    + 'learning-path scenario finishes a live run.',
  options: { json: { type: 'boolean' } },
  optionHelp: { json: 'print as JSON' },
  async run(args, io) {
    const sub = (args.positionals[0] ?? 'status') as Subcommand;
    if (!SUBCOMMANDS.includes(sub)) {
      io.stderr.write(`chaosdeck learn: unknown subcommand '${sub}'; use ${SUBCOMMANDS.join(', ')}\n`);
      return ExitCode.usage;
    }
    const p = palette(!args.values.json && shouldColor(io.stdout, io.env));
    const dir = stateDir(io.env);
    const write = (text: string) => io.stdout.write(text);
    if (sub === 'reset') {
      resetProgress(dir);
      write(args.values.json ? '{"reset":true}\n' : 'Learning progress cleared.\n');
      return ExitCode.ok;
    }
    const resolved = loadLearningPath();
    const progress = readProgress(dir);
    const states = entryProgress(resolved, progress);
    const position = positionOf(resolved, progress);

    if (sub === 'next') {
      if (args.values.json) {
        write(`${JSON.stringify(position)}\n`);
        return ExitCode.ok;
      }
      if (!position.next) {
        write(`All ${position.total} scenarios of the path are done. Try the real-environment packs next (chaosdeck list).\n`);
        return ExitCode.ok;
      }
      const entry = resolved.entries.find((e) => `${e.pack}/${e.id}` === position.next!.ref)!;
      write([
        `${p.bold(`Next up — week ${position.week}:`)} ${entry.title} (${entry.pack}/${entry.id})`,
        `  ${entry.why}`,
        ...(entry.realWorld.length ? [p.dim(`  The same experiment on real systems: ${entry.realWorld.join(', ')}`)] : []),
        '',
        `  Present it:       chaosdeck run ${entry.pack}/${entry.id}`,
        `  Let it run alone: chaosdeck run ${entry.pack}/${entry.id} --auto`,
        '',
      ].join('\n'));
      return ExitCode.ok;
    }

    if (sub === 'reflect') {
      const wanted = args.positionals[1];
      const chosen = wanted
        ? states.filter((s) => `${s.entry.pack}/${s.entry.id}` === wanted || s.entry.id === wanted)
        : states.filter((s) => s.state !== 'todo');
      if (wanted && chosen.length === 0) {
        io.stderr.write(`chaosdeck learn: ${wanted} is not on the learning path\n`);
        return ExitCode.usage;
      }
      if (args.values.json) {
        write(`${JSON.stringify(chosen.map((s) => ({ ref: `${s.entry.pack}/${s.entry.id}`, title: s.entry.title, reflection: s.entry.reflectionText ?? null })))}\n`);
        return ExitCode.ok;
      }
      if (chosen.length === 0) write('Run a scenario of the path first; its question appears here afterwards.\n');
      for (const s of chosen) write(`${p.bold(s.entry.title)}\n  ${s.entry.reflectionText?.trim() ?? '(no question)'}\n\n`);
      return ExitCode.ok;
    }

    if (args.values.json) {
      write(`${JSON.stringify({
        title: resolved.path.title,
        position,
        weeks: resolved.path.weeks.map((week) => ({
          week: week.week,
          title: week.title,
          goal: week.goal,
          scenarios: states.filter((s) => s.entry.week === week.week).map((s) => ({
            ref: `${s.entry.pack}/${s.entry.id}`, title: s.entry.title, state: s.state, attempts: s.attempts,
            expectedVerdict: s.entry.expectedVerdict, lastVerdict: s.last?.verdict ?? null, lastRunAt: s.last?.at ?? null,
          })),
          alsoTry: week.alsoTry,
        })),
      }, null, 2)}\n`);
      return ExitCode.ok;
    }
    write(`${p.bold(resolved.path.title)} — ${position.done}/${position.total} done\n`);
    for (const week of resolved.path.weeks) {
      const isCurrent = position.next !== undefined && week.week === position.week;
      write(`\n${isCurrent ? p.accent('▶') : ' '} ${p.bold(`Week ${week.week}: ${week.title}`)}\n   ${p.dim(week.goal)}\n`);
      for (const s of states.filter((x) => x.entry.week === week.week)) {
        const mark = s.state === 'done' ? p.ok('✓') : s.state === 'attempted' ? p.warn('✗') : p.dim('·');
        const last = s.last ? p.dim(` last ${s.last.verdict} ${s.last.at.slice(0, 16).replace('T', ' ')}${s.attempts > 1 ? `, ${s.attempts} runs` : ''}`) : '';
        write(`   ${mark} ${`${s.entry.pack}/${s.entry.id}`.padEnd(30)} ${s.entry.title}${last}\n`);
      }
      if (week.alsoTry.length) write(p.dim(`     also try: ${week.alsoTry.join(', ')}\n`));
    }
    write(position.next
      ? `\nNext up: ${position.next.title} — chaosdeck run ${position.next.ref}   (chaosdeck learn next)\n`
      : '\nThe path is complete. The real-environment packs are next: chaosdeck list\n');
    return ExitCode.ok;
  },
};
