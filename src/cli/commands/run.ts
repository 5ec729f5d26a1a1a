import { createInterface } from 'node:readline';
import type { RunController, RunOutcome } from '../../engine/controller';
import type { EventSink } from '../../engine/events';
import { unsupportedRefusalFor } from '../../scenario/ctk/unsupported';
import { durationMs } from '../../scenario/duration';
import { palette, shouldColor } from '../colors';
import { ExitCode, type CliCommand, type CliIo } from '../command';
import { extraRunSinks } from '../run-hooks';
import { openSession } from '../session';
import { modeOf, runOptionHelp, runOptions } from '../run-options';
import { installSignalHandlers } from '../signals';
import { createTimelinePrinter } from '../timeline';

// `chaosdeck run`: a scenario without the deck — a coloured timeline or JSON
// lines on stdout, the exit code saying whether the hypothesis held. Paced by
// Enter on stdin, or by itself with --auto (for CI pipelines).

const HELP_KEYS = 'enter: run step · n: next · b: back · r: restore · !: halt · q: quit';


function presenterInput(io: CliIo, controller: RunController, write: (text: string) => void): () => void {
  const rl = createInterface({ input: io.stdin, terminal: false });
  write(`${HELP_KEYS}\n`);
  rl.on('line', (raw) => {
    const key = raw.trim();
    if (key === '' || key === 'enter') controller.runStep();
    else if (key === 'n' || key === ' ') controller.next();
    else if (key === 'b' || key === 'p') controller.back();
    else if (key === 'r') controller.restore();
    else if (key === '!') controller.halt();
    else if (key === 'q') void controller.finish('completed');
    else write(`${HELP_KEYS}\n`);
  });
  rl.on('close', () => void controller.finish('completed'));
  return () => rl.close();
}


export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a scenario headless: a timeline (or JSON lines) and an exit code',
  usage: 'chaosdeck run <scenario> [--env profile] [--auto] [--dry-run | --rehearse] [--json]\n\n'
    + 'Runs a scenario without the deck. Without --auto, each line on stdin drives it\n'
    + `(${HELP_KEYS}). Exit codes: 0 hypothesis held, 1 failed or deviated,\n`
    + '2 bad input, 3 aborted or interrupted, 4 restore incomplete.',
  options: runOptions,
  optionHelp: runOptionHelp,
  async run(args, io) {
    const scenario = args.positionals[0];
    if (!scenario) {
      io.stderr.write('chaosdeck run: which scenario? (see `chaosdeck list`)\n');
      return ExitCode.usage;
    }
    const values = args.values;
    const isJson = values.json === true;
    const write = (text: string) => io.stdout.write(text);
    const paint = palette(!isJson && shouldColor(io.stdout, io.env));
    const pace = values.pace === undefined ? 1 : Number(values.pace);
    if (!Number.isFinite(pace) || pace < 0) {
      io.stderr.write(`chaosdeck run: --pace wants a number, got '${String(values.pace)}'\n`);
      return ExitCode.usage;
    }
    const printer: EventSink = isJson
      ? (event) => write(`${JSON.stringify(event)}\n`)
      : createTimelinePrinter({ write, palette: paint, showLogs: values.logs === true });
    const isAuto = values.auto === true;
    const refusal = isAuto && values['skip-unsupported'] !== true ? await unsupportedRefusalFor(scenario, io.cwd) : null;
    if (refusal) {
      io.stderr.write(`chaosdeck run: ${refusal}\n`);
      return ExitCode.usage;
    }
    const extras = await extraRunSinks({ io, values, scenarioRef: scenario });
    const session = await openSession({
      scenario,
      env: values.env as string | undefined,
      cwd: io.cwd,
      processEnv: io.env,
      mode: modeOf(values),
      isAuto,
      pace,
      host: {
        async confirm(question) {
          if (values.yes === true) return true;
          if (!io.stdin.isTTY) {
            write(paint.warn(`${question} — no terminal to ask; skipped (use --yes to allow)\n`));
            return false;
          }
          io.stdout.write(`${question} [y/N] `);
          const answer = await new Promise<string>((resolve) => {
            const rl = createInterface({ input: io.stdin, terminal: false });
            rl.once('line', (l) => { rl.close(); resolve(l); });
          });
          return /^y(es)?$/i.test(answer.trim());
        },
      },
      sinks: [printer, ...extras.sinks],
      onProgress: (text) => { if (!isJson) io.stderr.write(`${paint.dim(text)}\n`); },
      hypothesisStrategy: values['hypothesis-strategy'] as never,
      rollbackStrategy: values['rollback-strategy'] as never,
      expectTimeoutMs: values['expect-timeout'] ? durationMs(String(values['expect-timeout']) as `${number}s`) : undefined,
    });
    const removeSignals = installSignalHandlers(session, (text) => io.stderr.write(`${paint.warn(text)}\n`));
    const stopInput = isAuto ? () => undefined : presenterInput(io, session.run.controller, (text) => { if (!isJson) io.stderr.write(paint.dim(text)); });
    let outcome: RunOutcome;
    try {
      outcome = await session.run.controller.done;
    } finally {
      stopInput();
    }
    outcome = await session.close();
    await extras.close(outcome);
    removeSignals();
    return outcome.exitCode;
  },
};
