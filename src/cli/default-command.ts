import type { CliCommand } from './command';

// `chaosdeck` with no command opens the deck's home screen on the lab; until
// a `home` command is registered it runs the demo scenario headless.

/** The command for a bare `chaosdeck`. */
export function defaultCommand(commands: readonly CliCommand[]): CliCommand | undefined {
  const home = commands.find((c) => c.name === 'home');
  if (home) return home;
  const run = commands.find((c) => c.name === 'run');
  if (!run) return undefined;
  return {
    ...run,
    name: 'demo',
    async run(args, io) {
      return run.run({ values: { auto: true, ...args.values }, positionals: ['demo/shell-marker'] }, io);
    },
  };
}
