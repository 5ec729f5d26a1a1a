import type { Key } from 'ink';

// Keys are data (STYLE.md, after gemini-cli and k9s): one table maps command
// ids to keys, a description and flags. The same table drives input dispatch,
// the footer and the `?` overlay, so a key cannot work without being listed
// or be listed without working. Layers (modal > screen > global) decide which
// handler gets a key; a handler returns true when it consumed it.

/** The panes, in focus order; digits 1–7 focus them. */
export const PANE_IDS = ['notes', 'steps', 'commands', 'logs', 'status', 'latency', 'breakers'] as const;
export type PaneId = (typeof PANE_IDS)[number];

export const PANE_TITLES: Readonly<Record<PaneId, string>> = {
  notes: 'Notes', steps: 'Steps', commands: 'Commands', logs: 'Logs', status: 'Status', latency: 'Latency', breakers: 'Breakers',
};

/** Every command a key can trigger. */
export type CommandId =
  | 'deck.next' | 'deck.back' | 'deck.run' | 'deck.restore' | 'deck.halt' | 'deck.quit' | 'deck.interrupt'
  | 'ui.help' | 'ui.share' | 'ui.close' | 'ui.focusNext' | 'ui.focusPrevious' | `ui.focus.${PaneId}` | 'ui.zoom'
  | 'logs.follow' | 'logs.wrap' | 'logs.timestamps' | 'logs.filter' | 'logs.clearFilter'
  | 'logs.up' | 'logs.down' | 'logs.pageUp' | 'logs.pageDown'
  | 'modal.yes' | 'modal.no'
  | 'home.up' | 'home.down' | 'home.open' | 'home.environment' | 'home.quit'
  | 'replay.pause' | 'replay.faster' | 'replay.slower' | 'replay.seekBack' | 'replay.seekForward' | 'replay.nextMarker' | 'replay.previousMarker';

/** Where a binding is listed in the help overlay. */
export type KeyGroup = 'Run' | 'View' | 'Logs' | 'Replay' | 'Home' | 'Dialog';

/** One row of the key table. */
export interface KeyBinding {
  readonly command: CommandId;
  /** Key specs: a character (`q`, `?`, `!`), a name (`space`, `enter`, `esc`, `tab`, `left`, `pageup`), or `ctrl+c`, `shift+tab`. */
  readonly keys: readonly string[];
  readonly description: string;
  /** Changes the system under test; hidden and disabled when the deck is read-only (replay, follow). */
  readonly isDangerous: boolean;
  /** Shown in the footer (everything is shown in the `?` overlay). */
  readonly isVisible: boolean;
  readonly group: KeyGroup;
}

const bind = (command: CommandId, keys: string[], description: string, group: KeyGroup, flags: { isDangerous?: boolean; isVisible?: boolean } = {}): KeyBinding => ({
  command, keys, description, group, isDangerous: flags.isDangerous ?? false, isVisible: flags.isVisible ?? true,
});

/** The key table. */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  bind('deck.next', ['space', 'right', 'n'], 'next step', 'Run'),
  bind('deck.back', ['left', 'p'], 'back (no re-run)', 'Run'),
  bind('deck.run', ['enter'], 'run step', 'Run', { isDangerous: true }),
  bind('deck.restore', ['r'], 'restore now', 'Run', { isDangerous: true }),
  bind('deck.halt', ['!'], 'halt all', 'Run', { isDangerous: true }),
  bind('deck.quit', ['q'], 'quit', 'Run'),
  bind('deck.interrupt', ['ctrl+c'], 'restore and quit now', 'Run', { isVisible: false }),
  bind('ui.focusNext', ['tab'], 'focus next pane', 'View', { isVisible: false }),
  bind('ui.focusPrevious', ['shift+tab'], 'focus previous pane', 'View', { isVisible: false }),
  ...PANE_IDS.map((pane, i) => bind(`ui.focus.${pane}`, [String(i + 1)], `focus ${PANE_TITLES[pane]}`, 'View', { isVisible: false })),
  bind('ui.zoom', ['f'], 'zoom pane', 'View'),
  bind('ui.help', ['?'], 'help', 'View'),
  bind('ui.share', ['j'], 'how to join', 'View'),
  bind('ui.close', ['esc', '?', 'q', 'enter'], 'close', 'Dialog'),
  bind('logs.follow', ['s'], 'follow / pause', 'Logs'),
  bind('logs.wrap', ['w'], 'wrap', 'Logs', { isVisible: false }),
  bind('logs.timestamps', ['t'], 'timestamps', 'Logs', { isVisible: false }),
  bind('logs.filter', ['/'], 'filter (regex)', 'Logs'),
  bind('logs.clearFilter', ['esc'], 'clear filter', 'Logs', { isVisible: false }),
  bind('logs.up', ['up', 'k'], 'scroll up (pauses)', 'Logs', { isVisible: false }),
  bind('logs.down', ['down', 'j'], 'scroll down', 'Logs', { isVisible: false }),
  bind('logs.pageUp', ['pageup'], 'page up (pauses)', 'Logs', { isVisible: false }),
  bind('logs.pageDown', ['pagedown'], 'page down', 'Logs', { isVisible: false }),
  bind('modal.yes', ['y'], 'yes', 'Dialog'),
  bind('modal.no', ['n', 'esc', 'enter'], 'no', 'Dialog'),
  bind('home.up', ['up', 'k'], 'previous scenario', 'Home', { isVisible: false }),
  bind('home.down', ['down', 'j'], 'next scenario', 'Home', { isVisible: false }),
  bind('home.open', ['enter'], 'open', 'Home'),
  bind('home.environment', ['e', 'tab'], 'environment', 'Home'),
  bind('home.quit', ['q', 'ctrl+c'], 'quit', 'Home'),
  bind('replay.pause', ['space'], 'pause / play', 'Replay'),
  bind('replay.faster', ['+', '='], 'faster', 'Replay'),
  bind('replay.slower', ['-', '_'], 'slower', 'Replay'),
  bind('replay.nextMarker', [']'], 'next step marker', 'Replay'),
  bind('replay.previousMarker', ['['], 'previous step marker', 'Replay'),
  bind('replay.seekBack', ['left', 'h'], 'seek back', 'Replay'),
  bind('replay.seekForward', ['right', 'l'], 'seek forward', 'Replay'),
];

/** A handler: returns true when it consumed the key. */
export type CommandHandler = () => boolean;

/** A layer of handlers; the deck stacks them modal > screen > global. */
export interface KeyLayer {
  readonly id: string;
  readonly handlers: Partial<Record<CommandId, CommandHandler>>;
  /** Gets the raw key before bindings do (text entry); returns true to consume. */
  readonly onText?: (input: string, key: Key) => boolean;
  /** Keys this layer does not handle go no further (a modal dialog). */
  readonly isExclusive?: boolean;
}

/** The subset of Ink's Key that matching reads; tests build these by hand. */
export type KeyPress = Pick<Key, 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'ctrl' | 'shift' | 'tab' | 'backspace' | 'delete' | 'meta'>;

const NAMED: Readonly<Record<string, (input: string, key: KeyPress) => boolean>> = {
  space: (input) => input === ' ',
  enter: (_, key) => key.return,
  esc: (_, key) => key.escape,
  tab: (_, key) => key.tab && !key.shift,
  'shift+tab': (_, key) => key.tab && key.shift,
  left: (_, key) => key.leftArrow,
  right: (_, key) => key.rightArrow,
  up: (_, key) => key.upArrow,
  down: (_, key) => key.downArrow,
  pageup: (_, key) => key.pageUp,
  pagedown: (_, key) => key.pageDown,
  backspace: (_, key) => key.backspace || key.delete,
};

/** True when a key spec from the table matches a key press from Ink's useInput. */
export function matchesKey(spec: string, input: string, key: KeyPress): boolean {
  const named = NAMED[spec];
  if (named) return named(input, key);
  if (spec.startsWith('ctrl+')) return key.ctrl && input.toLowerCase() === spec.slice(5);
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return false;
  return input === spec;
}

/**
 * Offers a key to the layers, top first; returns the command that consumed it,
 * `'text'` when a layer's text entry took it, or null. Dangerous commands are
 * skipped when `isReadOnly`.
 */
export function dispatchKey(
  layers: readonly KeyLayer[],
  input: string,
  key: KeyPress,
  { bindings = KEY_BINDINGS, isReadOnly = false }: { bindings?: readonly KeyBinding[]; isReadOnly?: boolean } = {},
): CommandId | 'text' | null {
  for (const layer of layers) {
    for (const binding of bindings) {
      const handler = layer.handlers[binding.command];
      if (!handler || (isReadOnly && binding.isDangerous)) continue;
      if (binding.keys.some((spec) => matchesKey(spec, input, key)) && handler()) return binding.command;
    }
    if (layer.onText?.(input, key as Key)) return 'text';
    if (layer.isExclusive) return null;
  }
  return null;
}

/** The bindings a set of layers can act on now, top layer first, each command once. */
export function activeBindings(layers: readonly KeyLayer[], { bindings = KEY_BINDINGS, isReadOnly = false } = {}): KeyBinding[] {
  const seen = new Set<CommandId>();
  const active: KeyBinding[] = [];
  for (const layer of layers) {
    for (const binding of bindings) {
      if (seen.has(binding.command) || !layer.handlers[binding.command] || (isReadOnly && binding.isDangerous)) continue;
      seen.add(binding.command);
      active.push(binding);
    }
    if (layer.isExclusive) break;
  }
  return active;
}

const KEY_LABELS: Readonly<Record<string, [unicode: string, ascii: string]>> = {
  left: ['←', '<-'], right: ['→', '->'], up: ['↑', 'up'], down: ['↓', 'down'], enter: ['enter', 'enter'], esc: ['esc', 'esc'],
  pageup: ['PgUp', 'PgUp'], pagedown: ['PgDn', 'PgDn'], 'ctrl+c': ['^C', '^C'], 'shift+tab': ['S-tab', 'S-tab'],
};

/** How a key spec is printed in the footer and the overlay. */
export function keyLabel(spec: string, isUnicode = true): string {
  const label = KEY_LABELS[spec];
  return label ? label[isUnicode ? 0 : 1] : spec;
}
