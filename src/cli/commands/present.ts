import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import type { RunOutcome } from '../../engine/controller';
import { isDeckError, messageOf } from '../../engine/errors';
import { stateDir } from '../../engine/state-dir';
import type { CatalogEntry } from '../../scenario/catalog';
import { createConfirmBridge } from '../../ui/confirm-bridge';
import type { HomeData, HomeEntry, LearningPosition, RunnableVerdict } from '../../ui/home/home-data';
import { mountDeck } from '../../ui/render';
import { Shell, type OpenedRun, type OpenRequest, type ShellProps } from '../../ui/Shell';
import { glyphsFor } from '../../ui/theme/glyphs';
import { loadThemeCached } from '../../ui/theme/cache';
import { chooseThemeName } from '../../ui/theme/choose';
import { ExitCode, type CliArgs, type CliCommand, type CliIo } from '../command';
import { modeOf, runOptionHelp, runOptions } from '../run-options';
import type { canRun } from './doctor';

// `chaosdeck present <scenario>` opens the full-screen deck on one scenario;
// a bare `chaosdeck` opens it on the home screen (runHome). This file is the
// seam between the CLI and the UI: it loads what the UI must not (sessions,
// drivers, journals, the catalog) and hands the UI a store, a controller and
// loader functions. Everything not needed to draw the first frame (drivers,
// execa, ssh2, the catalog's YAML and schemas, doctor) is imported when it is
// first used, so the deck appears before any of it has been compiled.

/** Options of `present` (and of the home screen, which opens runs the same way): `run`'s plus the deck's own. */
export const presentOptions = {
  ...runOptions,
  audience: { type: 'boolean' },
  theme: { type: 'string' },
} as const;

/** The themes folder shipped with chaosdeck (next to dist/ or src/). */
export function builtinThemesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'themes'), join(here, '..', '..', 'themes'), join(here, '..', '..', '..', 'themes')]) {
    if (existsSync(join(candidate, 'dark.yaml'))) return resolve(candidate);
  }
  return resolve(here, '..', 'themes');
}


/** Doctor's verdict on a scenario's requirements, as the home screen shows it. */
export type RunnableCheck = (requirements: Parameters<typeof canRun>[0]) => RunnableVerdict;

/** Doctor's check, loaded with the catalog (doctor imports every driver). */
async function doctorVerdict(): Promise<RunnableCheck> {
  const { canRun: check } = await import('./doctor');
  return (requirements) => {
    const verdict = check(requirements);
    return { isRunnable: verdict.isOk, reasons: verdict.missing };
  };
}
let runnableCheck: RunnableCheck | undefined | 'doctor' = 'doctor';

/** Replaces the home screen's runnability check (tests; undefined shows requirements without a verdict). */
export function setRunnableCheck(check: RunnableCheck | undefined): void {
  runnableCheck = check;
}

function homeEntry(entry: CatalogEntry, runnableCheck: RunnableCheck | undefined): HomeEntry {
  const scenario = entry.loaded?.scenario;
  const id = scenario?.id ?? entry.file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  if (!scenario) return { pack: entry.pack, file: entry.file, id, title: id, profiles: entry.profiles, needs: [], error: entry.error ?? 'does not load' };
  const requirements = scenario.requirements;
  const needs = [...requirements.drivers.map((d) => `${d} driver`), ...requirements.binaries, ...(requirements.root ? ['root'] : [])];
  return {
    pack: entry.pack,
    file: entry.file,
    id,
    title: scenario.title,
    summary: scenario.summary,
    hypothesis: scenario.hypothesis,
    difficulty: scenario.difficulty,
    duration: scenario.duration === undefined ? undefined : typeof scenario.duration === 'number' ? `${Math.round(scenario.duration / 60)}m` : scenario.duration,
    week: scenario.week,
    profiles: entry.profiles,
    needs,
    runnable: runnableCheck?.(requirements),
  };
}

/**
 * Where the learner stands on the built-in learning path (progress from the
 * state directory): the week with its title, how much is done, and what is
 * next. A broken path file says so in that line instead of hiding the list.
 */
export async function homeLearning(stateDirectory: string, scenarioRoot?: string): Promise<LearningPosition> {
  try {
    const [{ loadLearningPath }, { positionOf, positionSummary }, { readProgress }] = await Promise.all([
      import('../../learn/path'), import('../../learn/position'), import('../../learn/progress'),
    ]);
    const resolved = loadLearningPath(scenarioRoot);
    const position = positionOf(resolved, readProgress(stateDirectory));
    const weekTitle = resolved.path.weeks.find((w) => w.week === position.week)?.title;
    const summary = positionSummary(position, resolved.path.weeks.length).replace(/^(Week \d+ of \d+)/, weekTitle ? `$1: ${weekTitle}` : '$1');
    return { summary, ...(position.next ? { nextScenarioId: position.next.scenarioId, nextPack: position.next.pack } : {}) };
  } catch (error) {
    return { summary: `unavailable (${messageOf(error)})` };
  }
}

/** The home screen's data: the catalog, faults left by dead runs, the learning-path position, doctor's verdicts when available. */
export async function loadHomeData(io: CliIo): Promise<HomeData> {
  const [{ listScenarios }, { pendingFaults }, check] = await Promise.all([
    import('../../scenario/catalog'), import('../../engine/journal'), runnableCheck === 'doctor' ? doctorVerdict() : runnableCheck,
  ]);
  const entries = (await listScenarios()).map((entry) => homeEntry(entry, check));
  // The lab pack first: it runs anywhere.
  entries.sort((a, b) => (a.pack === 'lab' ? 0 : 1) - (b.pack === 'lab' ? 0 : 1) || a.pack.localeCompare(b.pack) || (a.week ?? 99) - (b.week ?? 99) || a.title.localeCompare(b.title));
  const directory = stateDir(io.env);
  return { entries, pendingFaults: pendingFaults(directory), learning: await homeLearning(directory), hasDoctor: check !== undefined };
}

/** What openDeck needs besides the streams. */
export interface DeckOptions {
  readonly start: ShellProps['start'];
  readonly values: CliArgs['values'];
}

/**
 * Runs the deck until the presenter quits: theme and glyphs chosen, the
 * screen mounted, runs opened through sessions whose events feed a view
 * store, Ctrl+C (a key in raw mode) and SIGTERM/SIGHUP restoring before exit.
 * Resolves with the exit code.
 */
export async function openDeck(io: CliIo, { start, values }: DeckOptions): Promise<number> {
  const stdout = io.stdout as NodeJS.WriteStream;
  const stdin = io.stdin as NodeJS.ReadStream;
  if (!stdout.isTTY || !stdin.isTTY) {
    io.stderr.write('chaosdeck: the deck needs a terminal; use `chaosdeck run <scenario>` for a headless run.\n');
    return ExitCode.usage;
  }
  const pace = values.pace === undefined ? 1 : Number(values.pace);
  if (!Number.isFinite(pace) || pace < 0) {
    io.stderr.write(`chaosdeck: --pace wants a number, got '${String(values.pace)}'\n`);
    return ExitCode.usage;
  }
  let theme;
  try {
    theme = await loadThemeCached(chooseThemeName(values.theme as string | undefined, io.env), builtinThemesDir(), join(stateDir(io.env), 'cache'));
  } catch (error) {
    io.stderr.write(`chaosdeck: ${messageOf(error)}\n`);
    return ExitCode.usage;
  }
  const look = { theme, glyphs: glyphsFor(io.env) };

  let current: OpenedRun | null = null;
  const openRun = async (request: OpenRequest, onProgress: (text: string) => void): Promise<OpenedRun> => {
    const [{ createViewStore }, { extraRunSinks }, { openSession }, { durationMs }] = await Promise.all([
      import('../../engine/store'), import('../run-hooks'), import('../session'), import('../../scenario/duration'), import('../hooks-setup'),
    ]);
    const store = createViewStore();
    const confirm = createConfirmBridge();
    const extras = await extraRunSinks({ io, values, scenarioRef: request.scenario, isDeck: true });
    const session = await openSession({
      scenario: request.scenario,
      env: request.profile ?? (values.env as string | undefined),
      cwd: io.cwd,
      processEnv: io.env,
      mode: modeOf(values),
      isAuto: values.auto === true,
      pace,
      host: values.yes === true ? { confirm: async () => true } : confirm.host,
      sinks: [(event) => store.dispatch(event), ...extras.sinks],
      onProgress,
      hypothesisStrategy: values['hypothesis-strategy'] as never,
      rollbackStrategy: values['rollback-strategy'] as never,
      expectTimeoutMs: values['expect-timeout'] ? durationMs(String(values['expect-timeout']) as `${number}s`) : undefined,
    });
    const share = values.share === true ? (await import('../../share/share-info')).currentShareInfo() : null;
    let closing: Promise<RunOutcome> | null = null;
    const opened: OpenedRun = {
      binding: { store, controller: session.run.controller, share },
      confirm,
      close: () => {
        closing ??= (async () => {
          confirm.cancelAll();
          const outcome = await session.close('aborted');
          await extras.close(outcome);
          if (current === opened) current = null;
          return outcome;
        })();
        return closing;
      },
    };
    current = opened;
    return opened;
  };

  let result: { outcome: RunOutcome | null; error?: unknown } = { outcome: null };
  const shell = createElement(Shell, {
    start,
    loadHome: start.kind === 'home' ? () => loadHomeData(io) : undefined,
    openRun,
    isAudience: values.audience === true,
    onDone: (done) => {
      result = done;
    },
  });
  const deck = mountDeck(shell, look, { stdout, stdin, stderr: io.stderr as NodeJS.WriteStream });

  // Ctrl+C in the deck is a key (raw mode) and restores through the UI. Signals
  // from outside (kill, a closed terminal) restore here, then unmount.
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals >= 3) process.exit(ExitCode.restoreIncomplete);
    if (signals > 1) return;
    const run = current;
    void (run ? run.close() : Promise.resolve(null)).then((outcome) => {
      result = { outcome: outcome ?? result.outcome };
      deck.instance.unmount();
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  process.on('SIGINT', onSignal);
  try {
    await deck.exited;
    // A run still open here means the app ended without closing it (an internal error).
    if (current) result = { ...result, outcome: await (current as OpenedRun).close() };
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.off('SIGINT', onSignal);
  }
  if (result.error !== undefined) {
    const error = result.error;
    const { InputError } = await import('../../scenario/load');
    io.stderr.write(`chaosdeck: ${error instanceof InputError ? `${error.message}` : messageOf(error)}\n`);
    if (isDeckError(error) && ['SCENARIO_INVALID', 'ENVIRONMENT_INVALID', 'FILE_NOT_FOUND', 'USAGE'].includes(error.code)) return ExitCode.usage;
    return ExitCode.failed;
  }
  const outcome = result.outcome;
  if (outcome && outcome.pendingFaults > 0) io.stderr.write(`chaosdeck: ${outcome.pendingFaults} fault(s) could not be undone; run \`chaosdeck restore\`.\n`);
  return outcome?.exitCode ?? ExitCode.ok;
}

/** `chaosdeck` with no arguments: the home screen. */
export function runHome(io: CliIo, args: CliArgs): Promise<number> {
  return openDeck(io, { start: { kind: 'home' }, values: args.values });
}

const OPTION_HELP = {
  ...runOptionHelp,
  audience: 'hide presenter-only content (talking points) for projecting',
  theme: 'dark | light | high-contrast | mono (default: CHAOSDECK_THEME, mono with NO_COLOR, else dark)',
  yes: 'answer yes to confirmations instead of asking in the deck',
  share: 'let followers join: the deck shows the URL, token and a QR code (j shows them again)',
};

export const presentCommand: CliCommand = {
  name: 'present',
  summary: 'open the full-screen deck on a scenario',
  usage: 'chaosdeck present <scenario> [--env profile] [--audience] [--theme t] [--dry-run] [--rehearse]\n\n'
    + 'Opens the deck: notes, steps, commands, logs, status, latency and breakers.\n'
    + 'space/→ next · ← back · enter run step · r restore · ! halt all · q quit (restores first) · ? keys.',
  options: presentOptions,
  optionHelp: OPTION_HELP,
  async run(args, io) {
    const scenario = args.positionals[0];
    if (!scenario) {
      io.stderr.write('chaosdeck present: which scenario? (see `chaosdeck list`, or run `chaosdeck` for the home screen)\n');
      return ExitCode.usage;
    }
    return openDeck(io, { start: { kind: 'open', request: { scenario, profile: args.values.env as string | undefined } }, values: args.values });
  },
};

/** `chaosdeck home`, which a bare `chaosdeck` runs (see default-command.ts). */
export const homeCommand: CliCommand = {
  name: 'home',
  summary: 'open the deck on the home screen: packs, scenarios, environments',
  usage: 'chaosdeck [home] [--theme t] [--audience] [--dry-run]\n\nLists every scenario with what it needs; enter opens one in the deck.',
  options: presentOptions,
  optionHelp: OPTION_HELP,
  run: (args, io) => runHome(io, args),
};
