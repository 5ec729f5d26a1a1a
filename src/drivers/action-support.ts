import type { z } from 'zod';
import { DeckError } from '../engine/errors';
import { durationMs as scenarioDurationMs } from '../scenario/duration';
import type { Duration } from '../scenario/schema';
import type { ActionContext, ActionOutcome } from './driver';
import type { CommandResult, CommandSpec } from './exec';

// Helpers the real-environment drivers (docker, kubectl, oci, ssh, toxiproxy)
// share: reading their binding and configuration blocks, turning a command's
// result into an outcome a presenter can read, and durations.

/** Parses a target binding with a driver's schema; a bad profile is an ENVIRONMENT_INVALID error naming the target. */
export function parseBinding<S extends z.ZodType>(schema: S, context: Pick<ActionContext, 'binding' | 'targetName'>, driver: string): z.infer<S> {
  if (!context.binding) {
    throw new DeckError('ENVIRONMENT_INVALID', `the ${driver} driver needs a target, but this action has none`);
  }
  const parsed = schema.safeParse(context.binding);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(binding)'}: ${i.message}`).join('; ');
    throw new DeckError('ENVIRONMENT_INVALID', `target ${context.targetName ?? '?'} (${driver}): ${issues}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Parses a `drivers.<name>` block; absent fields take the schema's defaults. */
export function parseConfig<S extends z.ZodType>(schema: S, config: Readonly<Record<string, unknown>>, driver: string): z.infer<S> {
  const parsed = schema.safeParse(config ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
    throw new DeckError('ENVIRONMENT_INVALID', `drivers.${driver}: ${issues}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Why a command failed, in one line a presenter can act on. */
export function failureOf(result: CommandResult): string {
  if (result.isTimedOut) return `timed out after ${Math.round(result.durationMs)} ms: ${result.display}`;
  if (result.isCanceled) return `canceled: ${result.display}`;
  if (result.spawnError) return `could not start ${result.argv[0] ?? 'command'}: ${result.spawnError}`;
  const detail = lastLine(result.stderr) || lastLine(result.stdout);
  return `exit ${result.exitCode ?? result.signal ?? '?'}${detail ? `: ${detail}` : ''} (${result.display})`;
}

/** The outcome of one command, with its output as a probe would report it. */
export function outcomeOf(result: CommandResult): ActionOutcome {
  const output = { status: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  return result.isOk ? { isOk: true, output } : { isOk: false, error: failureOf(result), output };
}

/**
 * Runs commands in order and stops at the first failure. `tolerate` lets an
 * undo treat "already gone" answers (no such rule, no such qdisc) as success.
 */
export async function runSequence(
  context: Pick<ActionContext, 'run'>,
  specs: readonly CommandSpec[],
  tolerate?: (result: CommandResult) => boolean,
): Promise<ActionOutcome> {
  let last: ActionOutcome = { isOk: true };
  for (const spec of specs) {
    const result = await context.run(spec);
    if (!result.isOk && !(tolerate?.(result) ?? false)) return outcomeOf(result);
    last = { isOk: true, output: { status: result.exitCode, stdout: result.stdout, stderr: result.stderr } };
  }
  return last;
}

/** Milliseconds in a scenario duration, or `fallbackMs` when the action gives none. */
export function durationMs(duration: Duration | undefined, fallbackMs: number): number {
  return duration === undefined ? fallbackMs : scenarioDurationMs(duration);
}

/** True when the action must only be shown (dry-run) or not run at all (rehearse). */
export function isShowOnly(context: Pick<ActionContext, 'mode'>): boolean {
  return context.mode !== 'live';
}

/** A name Kubernetes, systemd and Toxiproxy all accept: lowercase letters, digits and dashes. */
export function resourceName(...parts: readonly string[]): string {
  return parts.join('-').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 63);
}

/** An unsupported verb reaching a driver means validate was skipped; say so plainly. */
export function unsupported(driver: string, verb: string): ActionOutcome {
  return { isOk: false, error: `the ${driver} driver does not support the verb ${verb}` };
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').trim();
}
