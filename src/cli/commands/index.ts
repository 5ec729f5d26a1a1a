import type { CliCommand } from '../command';
import { doctorCommand } from './doctor';
import { labCommand } from './lab';
import { learnCommand } from './learn';
import { listCommand } from './list';
import { homeCommand, presentCommand } from './present';
import { exportCommand } from './export';
import { followCommand } from './follow';
import { replayCommand } from './replay';
import { reportCommand } from './report';
import { restoreCommand } from './restore';
import { runCommand } from './run';
import { validateCommand } from './validate';

// The subcommands, in the order `chaosdeck --help` lists them.
export const commands: readonly CliCommand[] = [
  homeCommand,
  presentCommand,
  runCommand,
  listCommand,
  validateCommand,
  doctorCommand,
  restoreCommand,
  labCommand,
  replayCommand,
  exportCommand,
  reportCommand,
  learnCommand,
  followCommand,
];
