import { Box, Text } from 'ink';
import { Fragment } from 'react';
import { keyLabel, type KeyBinding } from '../keymap';
import { useLook } from '../hooks/use-look';

/** Props of the footer. */
export interface FooterProps {
  readonly width: number;
  /** The bindings that act now, from the key table; only `isVisible` ones are shown. */
  readonly bindings: readonly KeyBinding[];
  /** Short state at the right end (`logs paused`, a filter). */
  readonly status?: string;
}

/** Key hints from the key table, as many as fit, then `? help`. */
export function Footer({ width, bindings, status = '' }: FooterProps) {
  const { theme, glyphs } = useLook();
  const roles = theme.roles;
  const hints: { key: string; label: string; isDangerous: boolean }[] = [];
  let used = status.length + 2;
  for (const binding of bindings) {
    if (!binding.isVisible) continue;
    const key = binding.keys.map((k) => keyLabel(k, glyphs.isUnicode)).slice(0, binding.command === 'deck.next' ? 2 : 1).join('/');
    const size = key.length + binding.description.length + 3;
    if (used + size > width) break;
    used += size;
    hints.push({ key, label: binding.description, isDangerous: binding.isDangerous });
  }
  return (
    <Box width={width} height={1} justifyContent="space-between">
      <Text wrap="truncate">
        {hints.map((hint) => (
          <Fragment key={hint.key}>
            <Text {...(hint.isDangerous ? roles.footer.dangerous : roles.footer.key)}>{hint.key}</Text>
            <Text {...roles.footer.label}> {hint.label}   </Text>
          </Fragment>
        ))}
      </Text>
      {status ? <Text {...roles.status.warn} wrap="truncate">{status} </Text> : null}
    </Box>
  );
}
