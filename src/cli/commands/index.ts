import type { CliCommand } from '../command';
import { learnCommand } from './learn';
import { listCommand } from './list';
import { exportCommand } from './export';
import { followCommand } from './follow';
import { replayCommand } from './replay';
import { reportCommand } from './report';
import { restoreCommand } from './restore';
import { runCommand } from './run';
import { validateCommand } from './validate';

// The subcommands, in the order `chaosdeck --help` lists them.
export const commands: readonly CliCommand[] = [
  runCommand,
  listCommand,
  validateCommand,
  restoreCommand,
  replayCommand,
  exportCommand,
  reportCommand,
  learnCommand,
  followCommand,
];
