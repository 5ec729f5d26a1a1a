import { Text } from 'ink';
import type { Phase } from '../../engine/events';
import type { StepProgress, ViewState } from '../../engine/view-state';
import { truncate } from '../format';
import { useLook } from '../hooks/use-look';
import { useViewState } from '../hooks/use-view-state';
import type { PaneRect } from '../layout';
import { Pane } from './Pane';

const selectRun = (s: ViewState) => s.run;
const PHASE_SHORT: Readonly<Record<Phase, string>> = { baseline: 'BASE', inject: 'INJ ', observe: 'OBS ', restore: 'REST' };
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

/** The same steps without headings, each tagged with its phase, for short panes. */
export function compactStepRows(rows: readonly StepRow[]): (StepRow & { kind: 'step' } & { phase: Phase })[] {
  let phase: Phase = 'baseline';
  const out: (StepRow & { kind: 'step' } & { phase: Phase })[] = [];
  for (const row of rows) {
    if (row.kind === 'phase') phase = row.phase;
    else out.push({ ...row, phase });
  }
  return out;
}

/** The rows to show in `height`, keeping the current step (or the last one done) in view. */
export function visibleStepRows<R extends StepRow>(rows: readonly R[], height: number): R[] {
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
  const all = run ? stepRows(run.scenario.steps, progress) : [];
  const height = rect.height - 1;
  const isCompact = all.length > height;
  const done = progress.filter((p) => p.progress === 'done').length;
  const titleWidth = rect.width - (isCompact ? 13 : 7);
  return (
    <Pane rect={rect} info={run ? `${done}/${progress.length} done` : undefined}>
      {isCompact
        ? visibleStepRows(compactStepRows(all), height).map((row) => (
          <Text key={`s${row.index}`} wrap="truncate">
            <Text {...roles.step[row.progress]}>{` ${glyphs.step[row.progress]} ${String(row.index + 1).padStart(2)} `}</Text>
            <Text {...roles.phase[row.phase]}>{PHASE_SHORT[row.phase]}</Text>
            <Text {...roles.step[row.progress]}>{` ${truncate(row.title, titleWidth, glyphs.ellipsis)}`}</Text>
          </Text>
        ))
        : all.map((row, i) =>
          row.kind === 'phase' ? (
            <Text key={`p${i}`} wrap="truncate"><Text {...roles.phase[row.phase]}> {row.phase.toUpperCase()} </Text></Text>
          ) : (
            <Text key={`s${row.index}`} {...roles.step[row.progress]} wrap="truncate">
              {` ${glyphs.step[row.progress]} ${String(row.index + 1).padStart(2)} ${truncate(row.title, titleWidth, glyphs.ellipsis)}`}
            </Text>
          ),
        )}
    </Pane>
  );
}
