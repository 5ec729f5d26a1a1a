import { Box, Text } from 'ink';
import type { BreakerState } from '../../engine/events';
import type { ViewState } from '../../engine/view-state';
import { fit, formatAge, formatClock, formatDuration, formatPercent } from '../format';
import { useLook } from '../hooks/use-look';
import { useRunTimeWhen } from '../hooks/use-run-time';
import { useViewState } from '../hooks/use-view-state';
import type { PaneRect } from '../layout';
import type { Theme } from '../theme/schema';
import { Pane } from './Pane';

const selectBreakers = (s: ViewState) => s.breakers;

/** The colour role of a breaker state: CLOSED green, HALF_OPEN amber, OPEN red. */
export function breakerRole(state: BreakerState, theme: Theme) {
  const roles = theme.roles.breaker;
  if (state === 'CLOSED') return roles.closed;
  if (state === 'HALF_OPEN') return roles.halfOpen;
  if (state === 'OPEN' || state === 'FORCED_OPEN') return roles.open;
  return roles.disabled;
}

/**
 * How long a breaker has been in its state: to the tenth of a second while
 * that matters (an OPEN breaker's wait, a recent change), in whole minutes for
 * a breaker CLOSED for over a minute, so a quiet deck is not redrawn each second.
 */
export function timeInState(breaker: { readonly state: string; readonly since: number }, runTime: number): string {
  const ms = Math.max(0, runTime - breaker.since);
  return breaker.state === 'CLOSED' && ms >= 60_000 ? formatAge(ms) : formatDuration(ms);
}

/** Props of the breakers pane. */
export interface BreakersProps {
  readonly rect: PaneRect;
}

/** Each circuit breaker: state, time in state, failure rate, recent transitions. */
export function Breakers({ rect }: BreakersProps) {
  const { theme, glyphs } = useLook();
  const breakers = useViewState(selectBreakers);
  const runTime = useRunTimeWhen((time) => breakers.map((b) => timeInState(b, time)).join('|'));
  const roles = theme.roles;
  const rows = rect.height - 1;
  const perBreaker = breakers.length > 0 ? Math.max(1, Math.floor(rows / breakers.length)) : 1;
  const nameWidth = Math.min(18, Math.max(8, ...breakers.map((b) => b.name.length + 1)));
  const open = breakers.filter((b) => b.state === 'OPEN' || b.state === 'FORCED_OPEN').length;
  return (
    <Pane rect={rect} info={open > 0 ? `${open} OPEN` : undefined} isInfoWarning={open > 0}>
      {breakers.length === 0 ? <Text {...roles.text.muted}>No circuit breakers reported.</Text> : null}
      {breakers.map((breaker) => {
        const transitions = breaker.transitions.slice(-Math.max(0, perBreaker - 1) * 2).reverse();
        const lines: string[] = [];
        for (let i = 0; i < transitions.length; i += 2) {
          lines.push(transitions.slice(i, i + 2).map((t) => `${formatClock(t.t)} ${t.from}${glyphs.arrow}${t.to}`).join('  '));
        }
        return (
          <Box key={breaker.name} flexDirection="column">
            <Text wrap="truncate">
              <Text {...roles.text.strong}>{fit(breaker.name, nameWidth, glyphs.ellipsis)}</Text>
              <Text {...breakerRole(breaker.state, theme)} inverse={breaker.state === 'OPEN' && !theme.isMono}>{` ${breaker.state} `}</Text>
              <Text {...roles.text.muted}> for {timeInState(breaker, runTime)}</Text>
              {breaker.failureRate !== undefined && breaker.failureRate >= 0 ? <Text {...roles.text.muted}> · fail {formatPercent(breaker.failureRate > 1 ? breaker.failureRate / 100 : breaker.failureRate)}</Text> : null}
            </Text>
            {lines.slice(0, perBreaker - 1).map((line, i) => <Text key={i} {...roles.text.muted} wrap="truncate">{'  '}{line}</Text>)}
          </Box>
        );
      })}
    </Pane>
  );
}
