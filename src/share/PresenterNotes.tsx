import { Box, Text, useApp, useInput } from 'ink';
import { useSyncExternalStore } from 'react';
import type { ViewStore } from '../engine/store';
import type { ViewState } from '../engine/view-state';
import { formatClock, truncate } from '../ui/format';
import { useLook } from '../ui/hooks/use-look';
import { useNow } from '../ui/hooks/use-now';
import { useTerminalSize } from '../ui/hooks/use-terminal-size';
import { Markdown } from '../ui/panes/Markdown';
import { expectationStatus } from '../ui/panes/Notes';
import type { FollowerStatus } from './follower';

// The presenter's second screen (`chaosdeck follow URL --notes --token
// PRESENTER`): while the deck is projected, the laptop shows what to say now,
// what the step should make the room see, what comes next, and how long the
// run and the step have taken. It reads the presenter stream, which keeps the
// talking points; it drives nothing.

/** Props of the notes view. */
export interface PresenterNotesProps {
  /** The presenter stream's state. */
  readonly store: ViewStore;
  /** The follower's connection, for the status in the top bar. */
  readonly connection: { getSnapshot(): FollowerStatus; subscribe(listener: () => void): () => void };
}

/** Run time and step time in ms: wall clock while running, the last event's time after. */
export function notesClock(state: ViewState, now: number): { run: number; step: number | null } {
  const isRunning = state.status === 'running' && state.run !== null;
  const run = isRunning ? Math.max(state.t, now - Date.parse(state.run!.startedAt)) : state.t;
  const enteredAt = state.steps[state.currentStep]?.enteredAt ?? null;
  return { run, step: enteredAt === null ? null : Math.max(0, run - enteredAt) };
}

/** Talking points, this step's notes and expectations, the next step's preview, and the timers. */
export function PresenterNotes({ store, connection }: PresenterNotesProps) {
  const { theme, glyphs } = useLook();
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const link = useSyncExternalStore(connection.subscribe, connection.getSnapshot, connection.getSnapshot);
  const now = useNow();
  useInput((input, key) => {
    if (input === 'q' || (key.ctrl && input === 'c')) exit();
  });
  const roles = theme.roles;
  const width = Math.max(20, columns);
  const run = state.run;
  const steps = run?.scenario.steps ?? [];
  const index = state.currentStep;
  const step = steps[index];
  const next = steps[index + 1];
  const clock = notesClock(state, now);
  const rule = (title: string) => `${glyphs.rule.repeat(2)} ${title} ${glyphs.rule.repeat(Math.max(0, width - title.length - 4))}`;
  const linkText = link.phase === 'live' ? 'live' : link.phase;
  const top = `${truncate(run ? run.scenario.title : 'waiting for the run…', Math.max(10, width - 48), glyphs.ellipsis)}`;
  const timers = `run ${formatClock(clock.run)}${clock.step !== null ? ` · step ${formatClock(clock.step)}` : ''} · ${linkText} `;

  return (
    <Box flexDirection="column" width={width} height={Math.max(1, rows - 1)} overflow="hidden">
      <Box width={width} justifyContent="space-between">
        <Text wrap="truncate">
          <Text {...(state.phase ? roles.phase[state.phase] : roles.header.title)}>{` ${(state.phase ?? 'ready').toUpperCase()} `}</Text>
          <Text {...roles.header.title}> {top}{step ? `  step ${index + 1}/${steps.length}` : ''}</Text>
        </Text>
        <Text {...(link.phase === 'live' ? roles.header.bar : roles.status.warn)}>{timers}</Text>
      </Box>
      {state.halted ? <Text {...roles.banner.halt} wrap="truncate">{` HALTED: ${state.halted.reason} `}</Text> : null}
      {link.phase !== 'live' && link.reason ? <Text {...roles.status.warn} wrap="truncate">{link.reason}</Text> : null}
      {!step ? (
        <Box flexDirection="column" marginTop={1}>
          <Text {...roles.text.muted}>{run ? 'The run has not entered its first step yet.' : 'Waiting for the presenter\'s run…'}</Text>
          {run ? <Text>Hypothesis: <Text {...roles.text.emphasis}>{run.scenario.hypothesis}</Text></Text> : null}
        </Box>
      ) : (
        <>
          <Text {...roles.border.focus} wrap="truncate">{rule('Say')}</Text>
          {step.say.length === 0 ? <Text {...roles.text.muted}>(no talking points for this step)</Text> : step.say.map((point, i) => (
            <Box key={i}>
              <Text {...roles.text.accent}>{glyphs.bullet} </Text>
              <Box flexShrink={1}><Text {...roles.text.strong}>{point}</Text></Box>
            </Box>
          ))}
          <Text {...roles.border.normal} wrap="truncate">{rule(`Now: ${step.title}`)}</Text>
          {step.notes ? <Markdown source={step.notes} width={width} /> : null}
          {expectationStatus(step, index, state.checks).map((check, i) => {
            const status = check?.status ?? 'pending';
            return (
              <Text key={`e${i}`} wrap="truncate">
                <Text {...roles.check[status]}>{glyphs.check[status]} </Text>
                {step.expect[i]!.text}
                {check?.observed ? <Text {...roles.text.muted}> ({check.observed})</Text> : null}
              </Text>
            );
          })}
          <Text {...roles.border.normal} wrap="truncate">{rule(next ? `Next: ${index + 2} · ${next.phase.toUpperCase()} · ${next.title}` : 'Next: the verdict')}</Text>
          {next ? (
            <>
              {next.say.map((point, i) => (
                <Box key={`n${i}`}>
                  <Text {...roles.text.muted}>{glyphs.bullet} </Text>
                  <Box flexShrink={1}><Text {...roles.text.emphasis}>{point}</Text></Box>
                </Box>
              ))}
              {next.notes ? <Text {...roles.text.muted} wrap="truncate">{next.notes.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#')) ?? ''}</Text> : null}
              {next.run.length > 0 ? <Text {...roles.text.muted} wrap="truncate">{`runs: ${next.run.map((a) => `${a.verb}${'target' in a && a.target ? ` ${a.target}` : ''}`).join(', ')}`}</Text> : null}
            </>
          ) : (
            <Text {...roles.text.muted}>{run?.scenario.reflection ? `Reflection: ${run.scenario.reflection}` : 'After this step the deck restores and gives the verdict.'}</Text>
          )}
        </>
      )}
      {state.verdict ? <Text {...(state.verdict.outcome === 'PASS' ? roles.banner.verdictPass : roles.banner.verdictFail)}>{` Verdict: ${state.verdict.outcome} `}</Text> : null}
      <Box flexGrow={1} />
      <Text {...roles.text.muted} wrap="truncate">q quit · presenter notes (read-only)</Text>
    </Box>
  );
}
