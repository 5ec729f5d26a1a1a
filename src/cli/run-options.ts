import type { RunMode } from '../engine/events';

// The options every command that opens a run accepts (`run`, `present`,
// `chaosdeck` itself), in a module of their own so the deck can read them
// without loading the engine and every driver before its first frame.

/** Options shared by `run` and `present`. */
export const runOptions = {
  env: { type: 'string', short: 'e' },
  auto: { type: 'boolean' },
  headless: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  rehearse: { type: 'boolean' },
  json: { type: 'boolean' },
  logs: { type: 'boolean' },
  pace: { type: 'string' },
  'no-record': { type: 'boolean' },
  record: { type: 'string' },
  report: { type: 'string' },
  journal: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'hypothesis-strategy': { type: 'string' },
  'rollback-strategy': { type: 'string' },
  'skip-unsupported': { type: 'boolean' },
  'expect-timeout': { type: 'string' },
  share: { type: 'boolean' }, bind: { type: 'string' },
} as const;

/** Help text for the run options. */
export const runOptionHelp: Readonly<Record<keyof typeof runOptions, string>> = {
  env: 'environment profile: a file, or a profile name in the scenario\'s pack (default: the pack\'s own)',
  auto: 'advance through every step by itself',
  headless: 'accepted for clarity; `run` is always headless',
  'dry-run': 'show every command exactly; run none',
  rehearse: 'run probes and sources, but no action that changes anything',
  json: 'print events as JSON lines instead of the timeline',
  logs: 'print source log lines in the timeline',
  pace: 'multiply every wait by this factor (0.25 = four times faster)',
  'no-record': 'do not record the run',
  record: 'recording file or directory (default $CHAOSDECK_RECORDINGS, else recordings/)',
  report: 'write report.md and journal.json into this directory',
  journal: 'write a Chaos Toolkit journal to this file',
  yes: 'answer yes to confirmations (destructive steps on real environments)',
  'hypothesis-strategy': 'default | before-method-only | after-method-only | during-method | continuously',
  'rollback-strategy': 'default | always | never | deviated',
  'skip-unsupported': 'with --auto, run even when some activities cannot run here',
  'expect-timeout': 'deadline for expectations without `within` (default 30s)',
  share: 'let followers join: prints http://HOST:PORT/?token=… and a QR code',
  bind: 'address for --share (default 127.0.0.1:7777; anything else is reachable by others)',
};

/** The run mode the options ask for. */
export function modeOf(values: Record<string, unknown>): RunMode {
  if (values['dry-run']) return 'dry-run';
  if (values.rehearse) return 'rehearse';
  return 'live';
}
