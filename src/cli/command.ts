import type { ParseArgsConfig } from 'node:util';

// A subcommand is a plain object in the registry (commands/index.ts); main.ts
// parses its options with node:util's parseArgs and prints --help from it.

/** Streams and environment a command runs with; tests hand in their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Parsed options and positionals. */
export interface CliArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/** The exit codes every command uses (issue #2). */
export const ExitCode = {
  /** The hypothesis held; the command succeeded. */
  ok: 0,
  /** The hypothesis failed or the system deviated. */
  failed: 1,
  /** Bad input or usage. */
  usage: 2,
  /** The run was aborted or interrupted. */
  aborted: 3,
  /** Restore did not undo every fault. */
  restoreIncomplete: 4,
} as const;

/** One subcommand. */
export interface CliCommand {
  readonly name: string;
  /** Other names that reach this command (`present` for `run`'s interactive form, …). */
  readonly aliases?: readonly string[];
  /** One line for `chaosdeck --help`. */
  readonly summary: string;
  /** The usage line and a paragraph for `chaosdeck NAME --help`. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Help text per option name. */
  readonly optionHelp?: Readonly<Record<string, string>>;
  run(args: CliArgs, io: CliIo): Promise<number>;
}
