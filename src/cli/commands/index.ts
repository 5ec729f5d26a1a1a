import type { CliCommand } from '../command';

// The subcommands, in the order `chaosdeck --help` lists them. Each loads on
// demand: `chaosdeck lab status` never compiles the deck, and the deck never
// compiles ssh2 or the share server (the bundle is split into chunks).

/** A subcommand by name, loaded when it runs. */
export interface CommandEntry {
  readonly name: string;
  readonly aliases?: readonly string[];
  load(): Promise<CliCommand>;
}

export const commandEntries: readonly CommandEntry[] = [
  { name: 'home', load: async () => (await import('./present')).homeCommand },
  { name: 'present', load: async () => (await import('./present')).presentCommand },
  { name: 'run', load: async () => (await import('./run')).runCommand },
  { name: 'list', aliases: ['ls'], load: async () => (await import('./list')).listCommand },
  { name: 'validate', load: async () => (await import('./validate')).validateCommand },
  { name: 'doctor', load: async () => (await import('./doctor')).doctorCommand },
  { name: 'restore', load: async () => (await import('./restore')).restoreCommand },
  { name: 'lab', load: async () => (await import('./lab')).labCommand },
  { name: 'replay', load: async () => (await import('./replay')).replayCommand },
  { name: 'export', load: async () => (await import('./export')).exportCommand },
  { name: 'report', load: async () => (await import('./report')).reportCommand },
  { name: 'learn', load: async () => (await import('./learn')).learnCommand },
  { name: 'follow', load: async () => (await import('./follow')).followCommand },
];
