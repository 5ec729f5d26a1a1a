import { Box, Text } from 'ink';
import type { ViewState } from '../../engine/view-state';
import { formatClock, truncate } from '../format';
import { useLook } from '../hooks/use-look';
import { useRunTime } from '../hooks/use-run-time';
import { useViewState } from '../hooks/use-view-state';
import type { DeckMode } from '../contexts';

const selectRun = (s: ViewState) => s.run;
const selectPhase = (s: ViewState) => s.phase;
const selectStep = (s: ViewState) => s.currentStep;
const selectFaults = (s: ViewState) => s.pendingFaults.length;
const selectStatus = (s: ViewState) => s.status;

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
  const runTime = useRunTime();
  const roles = theme.roles;

  const phaseText = ` ${(phase ?? 'ready').toUpperCase()} `;
  const total = run?.scenario.steps.length ?? 0;
  const stepText = total > 0 ? ` step ${Math.max(0, step) + 1}/${total} ` : '';
  const clock = status === 'running' || status === 'idle' ? ` ${formatClock(runTime)} ` : ` ${status} ${formatClock(runTime)} `;
  const faultText = faults > 0 ? ` ${faults} fault${faults === 1 ? '' : 's'} injected ` : '';
  const modeText = ` ${mode.badge}${mode.detail ? ` ${mode.detail}` : ''} `;
  const right = stepText.length + clock.length + faultText.length + modeText.length;
  const leftRoom = Math.max(0, width - phaseText.length - right - 1);
  const title = run ? ` ${run.scenario.title} ${glyphs.bullet} ${run.environment.name}` : ' starting…';
  const titleText = truncate(title, leftRoom, glyphs.ellipsis);
  const gap = Math.max(0, width - phaseText.length - titleText.length - right);
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
