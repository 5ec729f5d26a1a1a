import { Text } from 'ink';
import type { CellStyle } from '../screen-writer';
import { wrapRuns, type StyledRun } from '../wrap';

/** Props of a wrapped block. */
export interface WrappedProps {
  /** The text, in runs of one style each. */
  readonly runs: readonly StyledRun<CellStyle>[];
  /** Cells per line. */
  readonly width: number;
  /** Put before the first line (a list marker); later lines are indented by its width. */
  readonly lead?: StyledRun<CellStyle>;
}

/**
 * Styled text wrapped at word boundaries into rows of `width`, each drawn by
 * Ink as one truncated row (see wrap.ts for why Ink's own wrap is not used).
 */
export function Wrapped({ runs, width, lead }: WrappedProps) {
  const leadWidth = lead ? Array.from(lead.text).length : 0;
  const lines = wrapRuns(runs, width - leadWidth);
  return (
    <>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate">
          {lead ? (i === 0 ? <Text {...lead.style}>{lead.text}</Text> : ' '.repeat(leadWidth)) : null}
          {line.length === 0 ? ' ' : line.map((run, j) => <Text key={j} {...run.style}>{run.text}</Text>)}
        </Text>
      ))}
    </>
  );
}
