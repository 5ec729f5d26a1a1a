import type { ActionContext, ActionOutcome } from './driver';
import { formatArgv } from './quote';
import { remoteExec, type RemoteResult } from './ssh-connection';
import { sshDisplayPrefix, type SshConfig, type SshEndpoint } from './ssh-config';
import { messageOf } from '../engine/errors';

// One remote command as the audience sees it: echoed as the equivalent
// OpenSSH command line, its output streamed into the action, and, in dry-run
// or rehearsal, shown without running unless it only reads.

/** A remote command: an argv (quoted for the remote shell exactly as displayed). */
export interface RemoteCommand {
  readonly argv: readonly string[];
  readonly input?: string;
  readonly isReadOnly?: boolean;
  readonly timeoutMs?: number;
}

/** Everything needed to reach the target host. */
export interface RemoteTarget {
  readonly endpoint: SshEndpoint;
  readonly config: SshConfig;
}

const DRY: RemoteResult = { exitCode: 0, signal: null, stdout: '', stderr: '', isTimedOut: false, isCanceled: false, isOk: true };

/** Runs one remote command through the context's echo; connection failures are thrown as DeckErrors after being shown. */
export async function runRemote(context: ActionContext, target: RemoteTarget, command: RemoteCommand): Promise<RemoteResult> {
  const line = formatArgv(command.argv);
  const handle = context.echo(`${sshDisplayPrefix(target.endpoint)} ${line}`);
  if (context.mode !== 'live' && command.isReadOnly !== true) {
    handle.finish({ isOk: true, exitCode: 0 });
    return DRY;
  }
  try {
    const result = await remoteExec(target.endpoint, target.config, line, {
      input: command.input,
      timeoutMs: command.timeoutMs ?? target.config.commandTimeoutMs,
      signal: context.signal,
      onLine: (stream, text) => handle.line(stream, text),
    }, (question) => context.confirm(question));
    handle.finish({ isOk: result.isOk, exitCode: result.exitCode, ...(result.isOk ? {} : { error: remoteFailure(result) }) });
    return result;
  } catch (error) {
    handle.finish({ isOk: false, exitCode: null, error: messageOf(error) });
    throw error;
  }
}

/** Why a remote command failed, in one line. */
export function remoteFailure(result: RemoteResult): string {
  if (result.isTimedOut) return 'timed out';
  if (result.isCanceled) return 'canceled';
  const detail = (result.stderr || result.stdout).trim().split('\n').pop() ?? '';
  return `exit ${result.exitCode ?? result.signal ?? '?'}${detail ? `: ${detail}` : ''}`;
}

/** Runs remote commands in order, stopping at the first failure unless `tolerate` accepts it. */
export async function runRemoteSequence(
  context: ActionContext,
  target: RemoteTarget,
  commands: readonly RemoteCommand[],
  tolerate?: (result: RemoteResult, command: RemoteCommand) => boolean,
): Promise<ActionOutcome> {
  let last: RemoteResult = DRY;
  for (const command of commands) {
    last = await runRemote(context, target, command);
    if (!last.isOk && !(tolerate?.(last, command) ?? false)) {
      return { isOk: false, error: `${formatArgv(command.argv)}: ${remoteFailure(last)}`, output: { status: last.exitCode, stdout: last.stdout, stderr: last.stderr } };
    }
  }
  return { isOk: true, output: { status: last.exitCode, stdout: last.stdout, stderr: last.stderr } };
}
