import { z } from 'zod';
import type { Action, Verb } from '../scenario/schema';
import { durationMs } from '../scenario/duration';
import type { ActionContext, ActionOutcome, Driver, UndoSpec } from './driver';
import { displayOf } from './exec';
import { httpCall } from './http-request';
import { formatArgv } from './quote';

// The local driver: an argv on this machine, a shell line only when a step
// says `shell:` (and the deck shows `sh -c '…'`), and HTTP calls. Actions with
// no target run here.

const VERBS: ReadonlySet<Verb> = new Set<Verb>(['exec', 'shell', 'http']);

function commandOutcome(result: { isOk: boolean; exitCode: number | null; stdout: string; stderr: string; isTimedOut: boolean; isCanceled: boolean; spawnError?: string }): ActionOutcome {
  const output = { status: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  if (result.isOk) return { isOk: true, output };
  const error = result.spawnError
    ?? (result.isTimedOut ? 'timed out' : result.isCanceled ? 'canceled' : `exit code ${result.exitCode ?? 'none'}${result.stderr ? `: ${lastLine(result.stderr)}` : ''}`);
  return { isOk: false, error, output };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1]!.slice(0, 200);
}

async function runHttp(action: Extract<Action, { verb: 'http' }>, context: ActionContext): Promise<ActionOutcome> {
  const method = (action.method ?? 'GET').toUpperCase();
  const echo = context.echo(`${method} ${action.url}`);
  if (context.mode === 'dry-run') {
    echo.finish({ isOk: true, exitCode: 0 });
    return { isOk: true };
  }
  try {
    const result = await httpCall({
      url: action.url, method, headers: action.headers, body: action.body, query: action.query, verifyTls: action.verifyTls,
      timeoutMs: action.timeout === undefined ? 10_000 : durationMs(action.timeout), signal: context.signal,
    });
    echo.line('stdout', `HTTP ${result.status} in ${result.durationMs.toFixed(0)} ms`);
    echo.finish({ isOk: true, exitCode: result.status });
    return { isOk: true, output: { status: result.status, headers: result.headers, body: result.body } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    echo.line('stderr', message);
    echo.finish({ isOk: false, error: message });
    return { isOk: false, error: message };
  }
}

/** Runs local commands and HTTP calls. */
export const shellDriver: Driver = {
  name: 'shell',
  verbs: VERBS,
  destructiveVerbs: new Set<Verb>(['exec', 'shell']),
  bindingSchema: z.looseObject({ cwd: z.string().optional() }),
  describe(action) {
    switch (action.verb) {
      case 'exec': return formatArgv(action.argv);
      case 'shell': return displayOf({ argv: [action.command], isShell: true });
      case 'http': return `${action.method ?? 'GET'} ${action.url}`;
      default: return action.verb;
    }
  },
  async prepareUndo(action) {
    if (action.verb === 'exec' && action.undo) {
      return { verb: 'exec', params: { argv: action.undo, env: action.env ?? null, cwd: action.cwd ?? null }, summary: formatArgv(action.undo) } satisfies UndoSpec;
    }
    if (action.verb === 'shell' && action.undo) {
      return { verb: 'shell', params: { command: action.undo, env: action.env ?? null }, summary: displayOf({ argv: [action.undo], isShell: true }) };
    }
    return null;
  },
  async apply(action, context) {
    const cwd = typeof context.binding?.cwd === 'string' ? context.binding.cwd : undefined;
    const timeoutMs = action.timeout === undefined ? undefined : durationMs(action.timeout);
    switch (action.verb) {
      case 'exec':
        return commandOutcome(await context.run({ argv: action.argv, env: action.env, cwd: action.cwd ?? cwd, timeoutMs }));
      case 'shell':
        return commandOutcome(await context.run({ argv: [action.command], isShell: true, env: action.env, cwd, timeoutMs }));
      case 'http':
        return runHttp(action, context);
      default:
        return { isOk: false, error: `the shell driver cannot ${action.verb}` };
    }
  },
  async undo(undo, context) {
    const params = undo.params as { argv?: string[]; command?: string; env?: Record<string, string> | null; cwd?: string | null };
    if (undo.verb === 'exec' && params.argv) {
      return commandOutcome(await context.run({ argv: params.argv, env: params.env ?? undefined, cwd: params.cwd ?? undefined }));
    }
    if (undo.verb === 'shell' && params.command) {
      return commandOutcome(await context.run({ argv: [params.command], isShell: true, env: params.env ?? undefined }));
    }
    return { isOk: false, error: `unknown undo ${undo.verb}` };
  },
  async doctor() {
    return [{ name: 'shell', isOk: true, detail: 'local commands run through execa' }];
  },
};
