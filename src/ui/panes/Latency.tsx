import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { ViewState } from '../../engine/view-state';
import { formatLatency, formatPercent } from '../format';
import { useLook } from '../hooks/use-look';
import { useViewState } from '../hooks/use-view-state';
import type { PaneRect } from '../layout';
import { renderChart, type Chart, type Segment } from '../sparkline';
import type { Theme } from '../theme/schema';
import { thresholdOf } from '../thresholds';
import { Pane } from './Pane';

const selectLatency = (s: ViewState) => s.latency;
const selectMarkers = (s: ViewState) => s.markers;
const selectScenario = (s: ViewState) => s.run?.scenario;

const AXIS_WIDTH = 7;

function segmentStyle(role: Segment['role'], theme: Theme) {
  return role === 'empty' ? {} : theme.roles.chart[role];
}

/** The label left of chart row `r`: the top and bottom of the scale, and the threshold on its own row. */
function axisLabel(chart: Chart, r: number, threshold: number | undefined): string {
  if (r === 0) return formatLatency(chart.max);
  if (r === chart.rows.length - 1) return chart.min > 0 ? formatLatency(chart.min) : '0';
  if (r === chart.thresholdRow && threshold !== undefined) return formatLatency(threshold);
  return '';
}

/** Props of the latency pane. */
export interface LatencyProps {
  readonly rect: PaneRect;
}

/**
 * p95 over the last samples as a block-character chart, its dim base at p50,
 * the scenario's p95 threshold as a dotted line, inject/restore/halt markers
 * under the columns, and the current p95, p50, error rate and rps.
 */
export function Latency({ rect }: LatencyProps) {
  const { theme, glyphs } = useLook();
  const latency = useViewState(selectLatency);
  const markers = useViewState(selectMarkers);
  const scenario = useViewState(selectScenario);
  const threshold = thresholdOf(scenario, 'p95');
  const errorThreshold = thresholdOf(scenario, 'errorRate');
  const roles = theme.roles;
  const chartWidth = Math.max(4, rect.width - AXIS_WIDTH);
  const chartHeight = Math.max(1, rect.height - 3);
  const chart = useMemo(
    // With a threshold, a log scale: a lab baseline of a few ms next to a 500 ms
    // threshold would otherwise draw as one flat row of the lowest level.
    () => renderChart({ points: latency.samples, markers, width: chartWidth, height: chartHeight, threshold, glyphs, scale: threshold !== undefined ? 'log' : 'linear' }),
    [latency.samples, markers, chartWidth, chartHeight, threshold, glyphs],
  );
  const last = latency.samples[latency.samples.length - 1];
  const isOver = last !== undefined && threshold !== undefined && last.p95 > threshold;
  const isErrorOver = last !== undefined && errorThreshold !== undefined && last.errorRate > errorThreshold;
  return (
    <Pane rect={rect} info={threshold !== undefined ? `p95 < ${formatLatency(threshold)} · log scale` : undefined}>
      {last ? (
        <Text wrap="truncate">
          <Text {...roles.text.muted}>p95 </Text><Text {...(isOver ? roles.chart.overThreshold : roles.chart.p95)} bold>{formatLatency(last.p95)}</Text>
          <Text {...roles.text.muted}>  p50 </Text><Text {...roles.chart.p50}>{formatLatency(last.p50)}</Text>
          <Text {...roles.text.muted}>  err </Text><Text {...(isErrorOver || last.errorRate > 0.05 ? roles.status.error : roles.status.ok)}>{formatPercent(last.errorRate)}</Text>
          <Text {...roles.text.muted}>  {Math.round(last.rps)} rps</Text>
        </Text>
      ) : (
        <Text {...roles.text.muted}>No latency samples yet.</Text>
      )}
      {last ? chart.rows.map((row, r) => (
        <Box key={r}>
          <Text {...(r === chart.thresholdRow && r > 0 ? roles.chart.threshold : roles.chart.axis)}>{axisLabel(chart, r, threshold).padStart(AXIS_WIDTH - 1)} </Text>
          <Text wrap="truncate">{row.map((segment, i) => <Text key={i} {...segmentStyle(segment.role, theme)}>{segment.text}</Text>)}</Text>
        </Box>
      )) : null}
      <Box>
        <Text>{' '.repeat(AXIS_WIDTH)}</Text>
        <Text wrap="truncate">{chart.markerRow.map((segment, i) => <Text key={i} {...segmentStyle(segment.role, theme)}>{segment.text}</Text>)}</Text>
      </Box>
    </Pane>
  );
}
