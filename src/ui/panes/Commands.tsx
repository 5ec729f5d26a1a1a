import { Text } from 'ink';
import type { ActionView, ViewState } from '../../engine/view-state';
import { formatDuration, sanitize } from '../format';
import { useLook } from '../hooks/use-look';
import { useViewState } from '../hooks/use-view-state';
import type { PaneRect } from '../layout';
import type { Theme } from '../theme/schema';
import { Pane } from './Pane';

const selectActions = (s: ViewState) => s.actions;

/** A line of the commands pane with its role. */
export interface CommandLine {
  readonly key: string;
  readonly text: string;
  readonly role: 'action' | 'command' | 'stdout' | 'stderr' | 'ok' | 'failed' | 'running' | 'muted';
  /** The action's status, drawn after its summary on the same row. */
  readonly suffix?: { readonly text: string; readonly role: CommandLine['role'] };
}

function actionStatus(action: ActionView): { text: string; role: CommandLine['role'] } {
  const duration = action.durationMs !== null ? ` ${formatDuration(action.durationMs)}` : '';
  if (action.status === 'running') return { text: 'running…', role: 'running' };
  if (action.status === 'ok') return { text: `ok${duration}`, role: 'ok' };
  if (action.status === 'failed') return { text: `failed${duration}${action.error ? `: ${action.error}` : ''}`, role: 'failed' };
  return { text: action.status, role: 'muted' };
}

/**
 * The lines for the newest actions, oldest first, ending at the newest:
 * the action's summary and status, each command as `$ display`, its output
 * (the last `maxOutput` lines), and its exit status and duration.
 */
export function commandLines(actions: readonly ActionView[], height: number, maxOutput = 6): CommandLine[] {
  const lines: CommandLine[] = [];
  for (let a = actions.length - 1; a >= 0 && lines.length < height; a--) {
    const action = actions[a]!;
    if (action.isProbe) continue;
    const block: CommandLine[] = [];
    const status = actionStatus(action);
    block.push({ key: action.actionId, text: `${action.summary} [${action.driver}] `, role: 'action', suffix: status });
    for (const command of action.commands) {
      block.push({ key: command.commandId, text: `$ ${sanitize(command.display)}${command.isDryRun ? '   (dry run: not executed)' : ''}`, role: 'command' });
      const dropped = command.output.length > maxOutput ? command.output.length - maxOutput + command.outputDropped : command.outputDropped;
      if (dropped > 0) block.push({ key: `${command.commandId}/d`, text: `  … ${dropped} earlier lines`, role: 'muted' });
      command.output.slice(-maxOutput).forEach((line, i) => block.push({ key: `${command.commandId}/${i}`, text: `  ${sanitize(line.text)}`, role: line.stream }));
      if (!command.isRunning) {
        const how = command.isTimedOut ? 'timed out' : command.isCanceled ? 'canceled' : command.signal ? `killed by ${command.signal}` : `exit ${command.exitCode ?? '?'}`;
        const isOk = command.exitCode === 0 && !command.isTimedOut && !command.isCanceled;
        block.push({ key: `${command.commandId}/x`, text: `  ${how} · ${formatDuration(command.durationMs ?? 0)}`, role: isOk ? 'ok' : 'failed' });
      }
    }
    lines.unshift(...block);
  }
  return lines.slice(Math.max(0, lines.length - height));
}

function roleStyle(role: CommandLine['role'], theme: Theme) {
  const roles = theme.roles;
  switch (role) {
    case 'action': return roles.text.strong;
    case 'command': return roles.text.code;
    case 'stdout': return roles.text.primary;
    case 'stderr': return roles.status.warn;
    case 'ok': return roles.status.ok;
    case 'failed': return roles.status.error;
    case 'running': return roles.status.info;
    case 'muted': return roles.text.muted;
  }
}

/** Props of the commands pane. */
export interface CommandsProps {
  readonly rect: PaneRect;
}

/** The exact command lines as they run, their output, exit status and duration. */
export function Commands({ rect }: CommandsProps) {
  const { theme } = useLook();
  const actions = useViewState(selectActions);
  const lines = commandLines(actions, rect.height - 1);
  const running = actions.filter((a) => a.status === 'running' && !a.isProbe).length;
  return (
    <Pane rect={rect} info={running > 0 ? `${running} running` : undefined}>
      {lines.length === 0 ? <Text {...theme.roles.text.muted}>No commands yet. Enter runs the step's actions.</Text> : null}
      {lines.map((line) => (
        <Text key={line.key} wrap="truncate">
          <Text {...roleStyle(line.role, theme)}>{line.text}</Text>
          {line.suffix ? <Text {...roleStyle(line.suffix.role, theme)}>{line.suffix.text}</Text> : null}
        </Text>
      ))}
    </Pane>
  );
}
