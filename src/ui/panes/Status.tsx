import { Text } from 'ink';
import type { TargetView, ViewState } from '../../engine/view-state';
import { fit, formatAge } from '../format';
import { useLook } from '../hooks/use-look';
import { useRunTimeWhen } from '../hooks/use-run-time';
import { useViewState } from '../hooks/use-view-state';
import type { PaneRect } from '../layout';
import type { Theme } from '../theme/schema';
import { Pane } from './Pane';

const selectTargets = (s: ViewState) => s.targets;
const selectStartedAt = (s: ViewState) => s.run?.startedAt ?? null;

/** How long a changed row stays highlighted. */
export const CHANGE_HIGHLIGHT_MS = 3000;

/**
 * The rows that fit: when not all do, targets that are not ready or just
 * changed are kept first, then the rest, shown in their original order so
 * rows do not jump around.
 */
export function visibleTargets(targets: readonly TargetView[], rows: number, runTime: number): TargetView[] {
  if (targets.length <= rows) return targets.slice();
  const isUrgent = (t: TargetView) => !t.isReady || runTime - t.changedAt < CHANGE_HIGHLIGHT_MS;
  const chosen = new Set([...targets.filter(isUrgent), ...targets.filter((t) => !isUrgent(t))].slice(0, rows));
  return targets.filter((t) => chosen.has(t));
}

function stateStyle(target: TargetView, theme: Theme) {
  const state = target.state.toLowerCase();
  if (/running|up|healthy|ready|active/.test(state) && target.isReady) return theme.roles.status.ok;
  if (/start|pending|creating|restarting|terminating|stopping|unknown/.test(state) || (!target.isReady && /running|up/.test(state))) return theme.roles.status.warn;
  return theme.roles.status.error;
}

/** Props of the status pane. */
export interface StatusProps {
  readonly rect: PaneRect;
}

/** Instances or pods: name, state, ready, restarts, age; a change is highlighted for a moment. */
export function Status({ rect }: StatusProps) {
  const { theme, glyphs } = useLook();
  const targets = useViewState(selectTargets);
  const startedAt = useViewState(selectStartedAt);
  // Redrawn when a shown age or highlight changes, not on every tick: ages past a minute read `3m`.
  const ageOf = (target: TargetView, time: number) => (target.since !== undefined ? (startedAt ? Date.parse(startedAt) : Date.now()) + time - target.since : time - target.changedAt);
  const runTime = useRunTimeWhen((time) => targets.map((t) => `${formatAge(ageOf(t, time))}${time - t.changedAt < CHANGE_HIGHLIGHT_MS ? '*' : ''}`).join('|'));
  const roles = theme.roles;
  const isNarrow = rect.width < 50;
  const stateWidth = isNarrow ? 9 : 11;
  const readyWidth = isNarrow ? 4 : 6;
  const restartsWidth = 4;
  const ageWidth = 5;
  const nameWidth = Math.max(6, rect.width - stateWidth - readyWidth - restartsWidth - ageWidth - 1);
  const bodyRows = rect.height - 2;
  const shown = visibleTargets(targets, targets.length > bodyRows ? bodyRows - 1 : bodyRows, runTime);
  const hidden = targets.length - shown.length;
  const down = targets.filter((t) => !t.isReady).length;
  return (
    <Pane rect={rect} info={targets.length > 0 ? `${targets.length - down}/${targets.length} ready` : undefined} isInfoWarning={down > 0}>
      <Text {...roles.text.muted} wrap="truncate">
        {fit('NAME', nameWidth)}{fit('STATE', stateWidth)}{fit(isNarrow ? 'RDY' : 'READY', readyWidth)}{fit('RST', restartsWidth)}{fit('AGE', ageWidth)}
      </Text>
      {targets.length === 0 ? <Text {...roles.text.muted}>No status yet.</Text> : null}
      {shown.map((target) => {
        const isChanged = runTime - target.changedAt < CHANGE_HIGHLIGHT_MS && target.changedAt > 0;
        const age = ageOf(target, runTime);
        const rowStyle = isChanged ? roles.highlight.changed : {};
        return (
          <Text key={target.key} wrap="truncate" {...rowStyle}>
            <Text {...(isChanged ? rowStyle : roles.text.primary)}>{fit(target.name, nameWidth - 1, glyphs.ellipsis)} </Text>
            <Text {...(isChanged ? rowStyle : stateStyle(target, theme))}>{fit(target.state, stateWidth)}</Text>
            <Text {...(isChanged ? rowStyle : target.isReady ? roles.status.ok : roles.status.error)}>{fit(target.isReady ? 'yes' : 'NO', readyWidth)}</Text>
            <Text {...(isChanged ? rowStyle : target.restarts > 0 ? roles.status.warn : roles.text.primary)}>{fit(String(target.restarts), restartsWidth)}</Text>
            <Text {...(isChanged ? rowStyle : roles.text.muted)}>{fit(formatAge(age), ageWidth)}</Text>
          </Text>
        );
      })}
      {hidden > 0 ? <Text {...roles.text.muted}>+{hidden} more (f zooms)</Text> : null}
    </Pane>
  );
}
