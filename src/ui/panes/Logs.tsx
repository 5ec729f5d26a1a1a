import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { ViewState } from '../../engine/view-state';
import { fit } from '../format';
import { useLook } from '../hooks/use-look';
import { useUiState } from '../hooks/use-ui-state';
import { useViewState } from '../hooks/use-view-state';
import type { PaneRect } from '../layout';
import { compileLogFilter, formatTimestamp, selectLogWindow, shownLine, sourceSlot, type LogKind } from '../log-view';
import type { Theme } from '../theme/schema';
import { Pane } from './Pane';

const selectLogs = (s: ViewState) => s.logs;
const selectStartedAt = (s: ViewState) => s.run?.startedAt ?? null;

function kindStyle(kind: LogKind, theme: Theme) {
  const roles = theme.roles.log;
  return kind === 'error' ? roles.error : kind === 'retry' ? roles.retry : kind === 'breaker' ? roles.breaker : theme.roles.text.primary;
}

/** Props of the logs pane. */
export interface LogsProps {
  readonly rect: PaneRect;
}

/**
 * Merged log tails: a coloured prefix per source, optional timestamps,
 * wrapping, a regex filter, follow or paused, error/retry/breaker lines
 * highlighted, and how many lines the bounded buffer dropped.
 */
export function Logs({ rect }: LogsProps) {
  const { theme, glyphs } = useLook();
  const logs = useViewState(selectLogs);
  const startedAt = useViewState(selectStartedAt);
  const { logs: ui } = useUiState();
  const filter = useMemo(() => compileLogFilter(ui.filter), [ui.filter]);
  const isEditing = ui.draft !== null;
  const height = rect.height - 1 - (isEditing ? 1 : 0);
  const sourceWidth = Math.min(14, logs.lines.reduce((m, l, i) => (i < logs.lines.length - 200 ? m : Math.max(m, shownLine(l).label.length)), 0));
  const timestampWidth = ui.hasTimestamps ? 13 : 0;
  const textWidth = Math.max(10, rect.width - sourceWidth - 1 - timestampWidth);
  const window = selectLogWindow({ lines: logs.lines, height, width: textWidth, isWrapped: ui.isWrapped, filter, anchor: ui.anchor });
  const startMs = startedAt ? Date.parse(startedAt) : 0;

  const info = [
    ui.anchor ? 'PAUSED' : 'FOLLOW',
    ui.isWrapped ? 'wrap' : '',
    ui.filter ? `/${ui.filter}/${filter?.error ? ' (literal)' : ''}` : '',
    logs.dropped > 0 ? `${logs.dropped} lines dropped` : '',
  ].filter(Boolean).join(' · ');

  return (
    <Pane rect={rect} info={info} isInfoWarning={Boolean(ui.anchor)}>
      {window.rows.length === 0 ? (
        <Text {...theme.roles.text.muted}>{ui.filter ? `No lines match /${ui.filter}/.` : 'No log lines yet.'}</Text>
      ) : null}
      {window.rows.map((row, i) => {
        const sourceStyle = theme.roles.log.sources[sourceSlot(row.label, theme.roles.log.sources.length)]!;
        const prefix = row.isContinuation ? ' '.repeat(sourceWidth + 1) : `${fit(row.label, sourceWidth, glyphs.ellipsis)} `;
        const timestamp = ui.hasTimestamps ? (row.isContinuation ? ' '.repeat(13) : `${formatTimestamp(row.ts ?? startMs + row.line.t)} `) : '';
        return (
          <Text key={i} wrap="truncate">
            <Text {...sourceStyle}>{prefix}</Text>
            {timestamp ? <Text {...theme.roles.log.timestamp}>{timestamp}</Text> : null}
            <Text {...kindStyle(row.kind, theme)}>{row.text}</Text>
          </Text>
        );
      })}
      {isEditing ? (
        <Box marginTop={Math.max(0, height - window.rows.length)}>
          <Text wrap="truncate">
            <Text {...theme.roles.footer.key}>/</Text>
            <Text>{ui.draft}</Text>
            <Text inverse> </Text>
            <Text {...theme.roles.text.muted}>   enter apply · esc cancel</Text>
          </Text>
        </Box>
      ) : null}
    </Pane>
  );
}
