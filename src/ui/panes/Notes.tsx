import { Box, Text } from 'ink';
import type { CheckView, ViewState } from '../../engine/view-state';
import type { Step } from '../../scenario/schema';
import { useLook } from '../hooks/use-look';
import { useRun } from '../hooks/use-run';
import { useViewState } from '../hooks/use-view-state';
import type { PaneRect } from '../layout';
import { Markdown } from './Markdown';
import { Pane } from './Pane';
import { Wrapped } from './Wrapped';

const selectRun = (s: ViewState) => s.run;
const selectStep = (s: ViewState) => s.currentStep;
const selectChecks = (s: ViewState) => s.checks;

/**
 * Pairs a step's expectations with the checks the engine reports for them:
 * by label first, then by position among that step's expect checks.
 */
export function expectationStatus(step: Step, stepIndex: number, checks: readonly CheckView[]): (CheckView | undefined)[] {
  const own = checks.filter((c) => c.kind === 'expect' && c.step === stepIndex);
  return step.expect.map((expectation, i) => own.find((c) => c.label === expectation.text) ?? own[i]);
}

/** Props of the notes pane. */
export interface NotesProps {
  readonly rect: PaneRect;
  /** Which step to show; the current step when omitted (a presenter view passes the next one). */
  readonly stepIndex?: number;
}

/** The step's title, the hypothesis (baseline and restore), notes, expected observations with live ✓/✗, talking points (not with --audience). */
export function Notes({ rect, stepIndex }: NotesProps) {
  const { theme, glyphs } = useLook();
  const { isAudience } = useRun();
  const run = useViewState(selectRun);
  const current = useViewState(selectStep);
  const checks = useViewState(selectChecks);
  const roles = theme.roles;
  const width = rect.width - 1;
  const index = stepIndex ?? current;
  const step = run?.scenario.steps[index];

  if (!run) return <Pane rect={rect}><Text {...roles.text.muted}>Waiting for the run to start…</Text></Pane>;
  if (!step) {
    return (
      <Pane rect={rect}>
        <Text {...roles.text.heading}>{run.scenario.title}</Text>
        {run.scenario.summary ? <Text>{run.scenario.summary}</Text> : null}
        <Text> </Text>
        <Text><Text {...roles.text.strong}>Hypothesis </Text><Text {...roles.text.emphasis}>{run.scenario.hypothesis.trim()}</Text></Text>
        <Text> </Text>
        <Text {...roles.text.muted}>Press space to enter the first step.</Text>
      </Pane>
    );
  }
  const statuses = expectationStatus(step, index, checks);
  return (
    <Pane rect={rect} info={`${index + 1}/${run.scenario.steps.length}`}>
      <Box flexDirection="column" width={width}>
        <Text {...roles.text.heading} wrap="truncate">{step.title}</Text>
        {step.phase === 'baseline' || step.phase === 'restore' ? (
          <Wrapped runs={[{ text: 'Hypothesis: ', style: roles.text.muted }, { text: run.scenario.hypothesis.trim(), style: roles.text.emphasis }]} width={width} />
        ) : null}
        {step.notes ? <Box marginTop={1}><Markdown source={step.notes} width={width} /></Box> : null}
        {step.expect.length > 0 ? (
          <Box flexDirection="column" marginTop={1}>
            <Text {...roles.text.strong}>Expect</Text>
            {step.expect.map((expectation, i) => {
              const check = statuses[i];
              const status = check?.status ?? 'pending';
              return (
                <Wrapped
                  key={i}
                  lead={{ text: `${glyphs.check[status]} `, style: roles.check[status] }}
                  runs={[{ text: expectation.text, style: roles.text.primary }, ...(check?.observed ? [{ text: ` (${check.observed})`, style: roles.text.muted }] : [])]}
                  width={width}
                />
              );
            })}
          </Box>
        ) : null}
        {!isAudience && step.say.length > 0 ? (
          <Box flexDirection="column" marginTop={1}>
            <Text {...roles.text.strong}>Say</Text>
            {step.say.map((point, i) => (
              <Wrapped key={i} lead={{ text: `${glyphs.bullet} `, style: roles.text.accent }} runs={[{ text: point, style: roles.text.emphasis }]} width={width} />
            ))}
          </Box>
        ) : null}
        {step.student ? (
          <Box marginTop={1} flexDirection="column"><Wrapped runs={[{ text: 'Students: ', style: roles.text.strong }, { text: step.student, style: roles.text.primary }]} width={width} /></Box>
        ) : null}
      </Box>
    </Pane>
  );
}
