import { Box, Text } from 'ink';
import { useContext, useEffect } from 'react';
import type { ViewState } from '../../engine/view-state';
import { formatClock, truncate } from '../format';
import { useLook } from '../hooks/use-look';
import { TickerContext } from '../hooks/use-now';
import { useRun } from '../hooks/use-run';
import { useRunTimeWhen } from '../hooks/use-run-time';
import { useViewState } from '../hooks/use-view-state';
import type { DeckMode } from '../contexts';
import { useScreenWriter } from '../screen-writer';

const selectRun = (s: ViewState) => s.run;
const selectPhase = (s: ViewState) => s.phase;
const selectStep = (s: ViewState) => s.currentStep;
const selectFaults = (s: ViewState) => s.pendingFaults.length;
const selectStatus = (s: ViewState) => s.status;

/** The elapsed-time cell: ` 1:05 `, or ` completed 1:05 ` once the run is over. */
function clockText(status: ViewState['status'], runTime: number): string {
  return status === 'running' || status === 'idle' ? ` ${formatClock(runTime)} ` : ` ${status} ${formatClock(runTime)} `;
}

/** Props of the header. */
export interface HeaderProps {
  readonly width: number;
  /** The LIVE / DRY-RUN / REHEARSE / REPLAY / FOLLOW badge. */
  readonly mode: DeckMode;
}

/** One bar: phase badge, scenario, environment | step k/n, elapsed, faults still injected, mode badge. */
export function Header({ width, mode }: HeaderProps) {
  const { theme, glyphs } = useLook();
  const run = useViewState(selectRun);
  const phase = useViewState(selectPhase);
  const step = useViewState(selectStep);
  const faults = useViewState(selectFaults);
  const status = useViewState(selectStatus);
  const writer = useScreenWriter();
  const binding = useRun();
  const ticker = useContext(TickerContext);
  const isPainted = writer !== null && binding.mode?.clock !== 'events';
  // Painted: re-render only when the clock's width changes (0:59 → 1:00 does not, 9:59 → 10:00 does).
  const runTime = useRunTimeWhen((time) => (isPainted ? clockText(status, time).length : clockText(status, time)));
  const roles = theme.roles;

  const phaseText = ` ${(phase ?? 'ready').toUpperCase()} `;
  const total = run?.scenario.steps.length ?? 0;
  const stepText = total > 0 ? ` step ${Math.max(0, step) + 1}/${total} ` : '';
  const clock = clockText(status, runTime);
  const faultText = faults > 0 ? ` ${faults} fault${faults === 1 ? '' : 's'} injected ` : '';
  const modeText = ` ${mode.badge}${mode.detail ? ` ${mode.detail}` : ''} `;
  const right = stepText.length + clock.length + faultText.length + modeText.length;
  const leftRoom = Math.max(0, width - phaseText.length - right - 1);
  const title = run ? ` ${run.scenario.title} ${glyphs.bullet} ${run.environment.name}` : ' starting…';
  const titleText = truncate(title, leftRoom, glyphs.ellipsis);
  const gap = Math.max(0, width - phaseText.length - titleText.length - right);
  // Counted from the right edge: the cells right of the clock are ASCII, the title may not be.
  const clockColumn = width - modeText.length - faultText.length - clock.length;
  const startedAt = run?.startedAt;
  useEffect(() => {
    if (!isPainted || !writer || !startedAt || gap <= 0) return;
    let shown = clock;
    return ticker.subscribe(() => {
      const time = Math.max(binding.store.getSnapshot().t, ticker.now() - Date.parse(startedAt));
      const text = clockText(status, time);
      // A width change re-renders the header through Ink instead (useRunTimeWhen above).
      if (text === shown || text.length !== shown.length) return;
      shown = text;
      writer.writeAt(0, clockColumn, text, roles.header.bar);
    });
  }, [isPainted, writer, startedAt, gap, clock, clockColumn, status, roles.header.bar, ticker, binding.store]);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text {...(phase ? roles.phase[phase] : roles.header.title)}>{phaseText}</Text>
        <Text {...roles.header.title}>{titleText}</Text>
        <Text {...roles.header.bar}>{' '.repeat(gap)}{stepText}{clock}</Text>
        {faultText ? <Text {...roles.status.error} inverse>{faultText}</Text> : null}
        <Text {...roles.mode[mode.role]}>{modeText}</Text>
      </Text>
    </Box>
  );
}
