import { Box, Text } from 'ink';
import type { Phase } from '../../engine/events';
import type { StepProgress, ViewState } from '../../engine/view-state';
import { truncate } from '../format';
import { useLook } from '../hooks/use-look';
import { useViewState } from '../hooks/use-view-state';
import type { PaneRect } from '../layout';
import { Pane } from './Pane';

const selectRun = (s: ViewState) => s.run;
const selectSteps = (s: ViewState) => s.steps;

/** One row of the steps list: a phase heading or a step. */
export type StepRow =
  | { readonly kind: 'phase'; readonly phase: Phase }
  | { readonly kind: 'step'; readonly index: number; readonly title: string; readonly progress: StepProgress };

/** Groups steps under a heading each time the phase changes, as the scenario orders them. */
export function stepRows(steps: readonly { phase: Phase; title: string }[], progress: readonly { progress: StepProgress }[]): StepRow[] {
  const rows: StepRow[] = [];
  let phase: Phase | null = null;
  steps.forEach((step, index) => {
    if (step.phase !== phase) {
      phase = step.phase;
      rows.push({ kind: 'phase', phase });
    }
    rows.push({ kind: 'step', index, title: step.title, progress: progress[index]?.progress ?? 'pending' });
  });
  return rows;
}

/** The rows to show in `height`, keeping the current step (or the last one done) in view. */
export function visibleStepRows(rows: readonly StepRow[], height: number): StepRow[] {
  if (rows.length <= height) return rows.slice();
  let focus = rows.findIndex((r) => r.kind === 'step' && r.progress === 'current');
  if (focus < 0) focus = rows.findLastIndex((r) => r.kind === 'step' && r.progress !== 'pending');
  const start = Math.min(Math.max(0, focus - Math.floor(height / 3)), rows.length - height);
  return rows.slice(start, start + height);
}

/** Props of the steps pane. */
export interface StepsProps {
  readonly rect: PaneRect;
}

/** Every step grouped by phase: done, current, failed, pending. */
export function Steps({ rect }: StepsProps) {
  const { theme, glyphs } = useLook();
  const run = useViewState(selectRun);
  const progress = useViewState(selectSteps);
  const roles = theme.roles;
  const rows = run ? visibleStepRows(stepRows(run.scenario.steps, progress), rect.height - 1) : [];
  const done = progress.filter((p) => p.progress === 'done').length;
  return (
    <Pane rect={rect} info={run ? `${done}/${progress.length} done` : undefined}>
      {rows.map((row) =>
        row.kind === 'phase' ? (
          <Text key={`p${row.phase}-${rows.indexOf(row)}`} wrap="truncate"><Text {...roles.phase[row.phase]}> {row.phase.toUpperCase()} </Text></Text>
        ) : (
          <Box key={`s${row.index}`}>
            <Text {...roles.step[row.progress]} wrap="truncate">
              {` ${glyphs.step[row.progress]} ${String(row.index + 1).padStart(2)} ${truncate(row.title, rect.width - 7, glyphs.ellipsis)}`}
            </Text>
          </Box>
        ),
      )}
    </Pane>
  );
}
