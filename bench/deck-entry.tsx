import { presentCommand, runHome } from '../src/cli/commands/present';
import type { CliIo } from '../src/cli/command';

// The real `chaosdeck present` and home screen from a bundle of their own, for
// looking at the deck in tmux before the CLI registry wires `present`:
//   node deck-entry.js present <scenario> [--audience] [--dry-run]
//   node deck-entry.js home

const [mode = 'home', ...rest] = process.argv.slice(2);
const io: CliIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
const values = { audience: rest.includes('--audience'), 'dry-run': rest.includes('--dry-run') };
const code = mode === 'present'
  ? await presentCommand.run({ values, positionals: rest.filter((a) => !a.startsWith('--')) }, io)
  : await runHome(io, { values, positionals: [] });
process.exit(code);
