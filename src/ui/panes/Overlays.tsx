import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { ViewState } from '../../engine/view-state';
import { formatClock } from '../format';
import { useLook } from '../hooks/use-look';
import { useViewState } from '../hooks/use-view-state';
import { keyLabel, type KeyBinding, type KeyGroup } from '../keymap';

/** Props of a centred dialog. */
interface DialogFrameProps {
  readonly width: number;
  readonly height: number;
  readonly title: string;
  readonly isDanger?: boolean;
  readonly children: ReactNode;
}

/** A bordered box centred in the body. */
export function DialogFrame({ width, height, title, isDanger = false, children }: DialogFrameProps) {
  const { theme, glyphs } = useLook();
  const boxWidth = Math.min(width - 4, 76);
  return (
    <Box width={width} height={height} alignItems="center" justifyContent="center">
      <Box
        width={boxWidth}
        flexDirection="column"
        borderStyle={glyphs.border}
        borderColor={(isDanger ? theme.roles.status.error : theme.roles.border.focus).color}
        paddingX={1}
      >
        <Text {...(isDanger ? theme.roles.status.error : theme.roles.text.heading)}>{title}</Text>
        {children}
      </Box>
    </Box>
  );
}

/** Props of the help overlay. */
export interface HelpOverlayProps {
  readonly width: number;
  readonly height: number;
  /** The bindings that act on the screen under the overlay. */
  readonly bindings: readonly KeyBinding[];
}

/** Every key that acts now, grouped, from the same table the dispatcher uses. */
export function HelpOverlay({ width, height, bindings }: HelpOverlayProps) {
  const { theme, glyphs } = useLook();
  const groups = new Map<KeyGroup, KeyBinding[]>();
  for (const binding of bindings) groups.set(binding.group, [...(groups.get(binding.group) ?? []), binding]);
  const focus = bindings.filter((b) => b.command.startsWith('ui.focus.'));
  return (
    <DialogFrame width={width} height={height} title="Keys">
      {[...groups.entries()].map(([group, list]) => (
        <Box key={group} flexDirection="column" marginTop={1}>
          <Text {...theme.roles.text.strong}>{group}</Text>
          {list.filter((b) => !b.command.startsWith('ui.focus.')).map((binding) => (
            <Text key={binding.command} wrap="truncate">
              <Text {...(binding.isDangerous ? theme.roles.footer.dangerous : theme.roles.footer.key)}>{binding.keys.map((k) => keyLabel(k, glyphs.isUnicode)).join(' ').padEnd(16)}</Text>
              <Text>{binding.description}</Text>
            </Text>
          ))}
          {group === 'View' && focus.length > 0 ? (
            <Text wrap="truncate">
              <Text {...theme.roles.footer.key}>{`1-${focus.length}`.padEnd(16)}</Text>
              <Text>focus {focus.map((b) => b.description.replace('focus ', '')).join(', ')}</Text>
            </Text>
          ) : null}
        </Box>
      ))}
      <Box marginTop={1}><Text {...theme.roles.text.muted}>esc or ? closes</Text></Box>
    </DialogFrame>
  );
}

/** Props of a y/N question. */
export interface ConfirmDialogProps {
  readonly width: number;
  readonly height: number;
  readonly question: string;
  readonly title?: string;
}

/** A y/N question; no is the default, as on every destructive prompt. */
export function ConfirmDialog({ width, height, question, title = 'Confirm' }: ConfirmDialogProps) {
  const { theme } = useLook();
  return (
    <DialogFrame width={width} height={height} title={title} isDanger>
      <Box marginTop={1}><Text>{question}</Text></Box>
      <Box marginTop={1}>
        <Text><Text {...theme.roles.footer.dangerous}>y</Text> yes   <Text {...theme.roles.footer.key}>N</Text> no (enter, esc)</Text>
      </Box>
    </DialogFrame>
  );
}

const selectHalted = (s: ViewState) => s.halted;
const selectVerdict = (s: ViewState) => s.verdict;

/** Rows the banner needs for a state; the layout reserves them. */
export function bannerRows(state: Pick<ViewState, 'halted' | 'verdict'>): number {
  return (state.halted ? 1 : 0) + (state.verdict ? 1 : 0);
}

/** The halted banner (halt all or a guardrail) and the verdict, above the panes. */
export function Banners({ width }: { readonly width: number }) {
  const { theme } = useLook();
  const halted = useViewState(selectHalted);
  const verdict = useViewState(selectVerdict);
  const pad = (text: string) => (text.length < width ? text + ' '.repeat(width - text.length) : text);
  return (
    <>
      {halted ? (
        <Text {...theme.roles.banner.halt} wrap="truncate">
          {pad(` HALTED at ${formatClock(halted.t)}: ${halted.reason}${halted.guardrail ? ` (guardrail ${halted.guardrail})` : ''}. Every fault undone; the run goes on. `)}
        </Text>
      ) : null}
      {verdict ? (
        <Text {...(verdict.outcome === 'PASS' ? theme.roles.banner.verdictPass : theme.roles.banner.verdictFail)} wrap="truncate">
          {pad(` ${verdict.outcome}${verdict.isDeviated ? ' (deviated)' : ''}: ${verdict.criteria.map((c) => `${c.isOk ? 'ok' : 'FAILED'} ${c.name} ${c.observed} (${c.threshold})`).join(' · ')} `)}
        </Text>
      ) : null}
    </>
  );
}

/** Shown instead of a broken layout below the minimum size. */
export function TooSmall({ columns, rows, minColumns, minRows }: { readonly columns: number; readonly rows: number; readonly minColumns: number; readonly minRows: number }) {
  const { theme } = useLook();
  return (
    <Box flexDirection="column" width={Math.max(1, columns)} height={Math.max(1, rows - 1)} alignItems="center" justifyContent="center">
      <Text {...theme.roles.status.warn} wrap="wrap">chaosdeck needs {minColumns}×{minRows}, have {columns}×{rows}</Text>
      <Text {...theme.roles.text.muted} wrap="wrap">Enlarge the window or reduce the font size. q quits.</Text>
    </Box>
  );
}
