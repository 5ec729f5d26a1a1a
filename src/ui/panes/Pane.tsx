import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useLook } from '../hooks/use-look';
import { useUiState } from '../hooks/use-ui-state';
import { PANE_IDS, PANE_TITLES } from '../keymap';
import type { PaneRect } from '../layout';
import { truncate } from '../format';

/** Props of a pane frame. */
export interface PaneProps {
  /** Where the pane is; the frame is exactly this size. */
  readonly rect: PaneRect;
  /** Short state shown in the title row after the title (`PAUSED`, `3 dropped`). */
  readonly info?: string;
  /** Draws the info in a warning role. */
  readonly isInfoWarning?: boolean;
  readonly children: ReactNode;
}

/**
 * A pane: a title rule with the pane's number (its focus key) and the content
 * clipped to the rest of the rectangle. A rule on top only, instead of a full
 * box, leaves two more rows and columns for content at 80×24.
 */
export function Pane({ rect, info, isInfoWarning = false, children }: PaneProps) {
  const { theme, glyphs } = useLook();
  const { focus } = useUiState();
  const isFocused = focus === rect.id;
  const label = ` ${PANE_IDS.indexOf(rect.id) + 1} ${PANE_TITLES[rect.id]} `;
  const infoText = info ? truncate(` ${info} `, Math.max(0, rect.width - label.length - 4), glyphs.ellipsis) : '';
  const rest = Math.max(0, rect.width - 2 - label.length - infoText.length);
  const rule = isFocused ? theme.roles.border.focus : theme.roles.border.normal;
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} overflow="hidden">
      <Text wrap="truncate">
        <Text {...rule}>{glyphs.rule.repeat(2)}</Text>
        <Text {...(isFocused ? theme.roles.border.focus : theme.roles.text.heading)} inverse={isFocused && theme.isMono}>{label}</Text>
        {infoText ? <Text {...(isInfoWarning ? theme.roles.status.warn : theme.roles.text.muted)}>{infoText}</Text> : null}
        <Text {...rule}>{glyphs.rule.repeat(rest)}</Text>
      </Text>
      <Box flexDirection="column" height={rect.height - 1} width={rect.width} overflow="hidden">
        {/* Content keeps its natural height and is clipped at the bottom; without
            flexShrink 0, Yoga squeezes rows to zero height (a heading vanished at 80×24). */}
        <Box flexDirection="column" flexShrink={0} width={rect.width}>
          {children}
        </Box>
      </Box>
    </Box>
  );
}
