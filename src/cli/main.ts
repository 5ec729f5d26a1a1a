import { parseArgs } from 'node:util';
import { isDeckError } from '../engine/errors';
import { ExitCode, type CliCommand, type CliIo } from './command';
import { commandEntries } from './commands/index';
import { VERSION } from './version';

// The entry point: finds the subcommand, parses its options, prints help and
// version, and turns errors into a message and an exit code — never a stack,
// unless --debug.

// These load the run hooks themselves, after drawing their first frame.
const DECK_COMMANDS = new Set(['home', 'present']);

const INPUT_CODES = new Set(['SCENARIO_INVALID', 'ENVIRONMENT_INVALID', 'FILE_NOT_FOUND', 'USAGE', 'DRIVER_UNKNOWN', 'DRIVER_VERB_UNSUPPORTED', 'RECORDING_INVALID']);

async function findCommand(name: string): Promise<CliCommand | undefined> {
  const entry = commandEntries.find((c) => c.name === name || c.aliases?.includes(name));
  return entry?.load();
}

function commandHelp(command: CliCommand): string {
  const lines = [`usage: ${command.usage}`, ''];
  const entries = Object.entries(command.options);
  if (entries.length > 0) {
    lines.push('options:');
    for (const [name, spec] of entries) {
      const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ' <value>' : ''}`;
      lines.push(`  ${flag.padEnd(30)} ${command.optionHelp?.[name] ?? ''}`);
    }
  }
  lines.push(`  ${'    --help'.padEnd(30)} show this help`, `  ${'    --debug'.padEnd(30)} print stack traces of internal errors`, '');
  return lines.join('\n');
}

async function globalHelp(): Promise<string> {
  const commands = await Promise.all(commandEntries.map((e) => e.load()));
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `chaosdeck ${VERSION} — present chaos-engineering experiments live, from a terminal`,
    '',
    'usage: chaosdeck [command] [options]',
    '       chaosdeck            open the deck on the built-in lab',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    '',
    'Run `chaosdeck <command> --help` for a command\'s options.',
    '',
  ].join('\n');
}

/** Runs the CLI with argv (without node and script); resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const isDebug = argv.includes('--debug');
  const rest = argv.filter((a) => a !== '--debug');
  if (rest[0] === '--version' || rest[0] === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  if (rest[0] === '--help' || rest[0] === '-h' || rest[0] === 'help') {
    const named = rest[1] ? await findCommand(rest[1]) : undefined;
    io.stdout.write(named ? commandHelp(named) : await globalHelp());
    return ExitCode.ok;
  }
  const isCommandGiven = rest.length > 0 && !rest[0]!.startsWith('-');
  // A bare `chaosdeck` opens the home screen on the lab.
  const command = await findCommand(isCommandGiven ? rest[0]! : 'home');
  if (!command) {
    io.stderr.write(`chaosdeck: unknown command '${rest[0]}'. Run \`chaosdeck --help\` for the list.\n`);
    return ExitCode.usage;
  }
  const commandArgs = isCommandGiven ? rest.slice(1) : rest;
  if (commandArgs.includes('--help') || commandArgs.includes('-h')) {
    io.stdout.write(commandHelp(command));
    return ExitCode.ok;
  }
  if (commandArgs.includes('--version')) {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.ok;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...commandArgs], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`chaosdeck ${command.name}: ${error instanceof Error ? error.message : String(error)}\nRun \`chaosdeck ${command.name} --help\`.\n`);
    return ExitCode.usage;
  }
  try {
    // Recorder, reporter, share server, importers: registered before any run or load.
    // The deck registers them when it opens a run, after its first frame.
    if (!DECK_COMMANDS.has(command.name)) await import('./hooks-setup');
    return await command.run({ values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals }, io);
  } catch (error) {
    // A scenario or profile that does not load: its message is already `file:line:column: …` lines.
    if (isDeckError(error, 'SCENARIO_INVALID') || isDeckError(error, 'ENVIRONMENT_INVALID')) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.usage;
    }
    if (isDeckError(error)) {
      io.stderr.write(`chaosdeck: ${error.message}\n`);
      if (isDebug && error.stack) io.stderr.write(`${error.stack}\n`);
      return INPUT_CODES.has(error.code) ? ExitCode.usage : ExitCode.failed;
    }
    io.stderr.write(`chaosdeck: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (isDebug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    else io.stderr.write('(run with --debug for details)\n');
    return ExitCode.failed;
  }
}

const isEntry = process.argv[1] !== undefined && /(?:^|[/\\])(cli\.js|chaosdeck(\.js)?)$/.test(process.argv[1]);
if (isEntry) {
  const code = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() });
  process.exitCode = code;
  // Sources and servers may hold handles; a finished command ends the process.
  setImmediate(() => process.exit(code));
}
