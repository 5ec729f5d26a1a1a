import { describe, expect, it } from 'vitest';
import { activeBindings, dispatchKey, KEY_BINDINGS, matchesKey, type KeyLayer, type KeyPress } from '../../src/ui/keymap';

const none: KeyPress = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageUp: false, pageDown: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false };
const press = (input: string, key: Partial<KeyPress> = {}) => ({ input, key: { ...none, ...key } });

describe('matchesKey', () => {
  it.each([
    ['space', press(' '), true],
    ['space', press('n'), false],
    ['right', press('', { rightArrow: true }), true],
    ['enter', press('\r', { return: true }), true],
    ['esc', press('', { escape: true }), true],
    ['tab', press('\t', { tab: true }), true],
    ['tab', press('\t', { tab: true, shift: true }), false],
    ['shift+tab', press('\t', { tab: true, shift: true }), true],
    ['ctrl+c', press('c', { ctrl: true }), true],
    ['c', press('c', { ctrl: true }), false],
    ['q', press('q'), true],
    ['?', press('?', { shift: true }), true],
    ['!', press('!', { shift: true }), true],
    ['1', press('1'), true],
    ['pageup', press('', { pageUp: true }), true],
    ['backspace', press('', { delete: true }), true],
  ])('%s against %j → %s', (spec, { input, key }, expected) => {
    expect(matchesKey(spec, input, key)).toBe(expected);
  });
});

describe('dispatchKey: modal > screen > global, handlers return true to consume', () => {
  const calls: string[] = [];
  const handler = (name: string, result = true) => () => {
    calls.push(name);
    return result;
  };
  const modal: KeyLayer = { id: 'modal', isExclusive: true, handlers: { 'modal.yes': handler('yes'), 'modal.no': handler('no') } };
  const screen: KeyLayer = { id: 'screen', handlers: { 'deck.next': handler('next'), 'deck.run': handler('run'), 'deck.halt': handler('halt'), 'logs.clearFilter': handler('clear-filter', false) } };
  const global: KeyLayer = { id: 'global', handlers: { 'deck.quit': handler('quit'), 'ui.help': handler('help') } };

  it.each([
    { layers: [screen, global], key: press(' '), command: 'deck.next', calls: ['next'] },
    { layers: [screen, global], key: press('n'), command: 'deck.next', calls: ['next'] },
    { layers: [screen, global], key: press('', { rightArrow: true }), command: 'deck.next', calls: ['next'] },
    { layers: [screen, global], key: press('\r', { return: true }), command: 'deck.run', calls: ['run'] },
    { layers: [screen, global], key: press('q'), command: 'deck.quit', calls: ['quit'] },
    { layers: [screen, global], key: press('?'), command: 'ui.help', calls: ['help'] },
    { layers: [screen, global], key: press('x'), command: null, calls: [] },
    // A handler that declines passes the key on; nothing else binds esc here.
    { layers: [screen, global], key: press('', { escape: true }), command: null, calls: ['clear-filter'] },
    // The modal takes y and n, and swallows everything else: q does not quit under a dialog.
    { layers: [modal, screen, global], key: press('y'), command: 'modal.yes', calls: ['yes'] },
    { layers: [modal, screen, global], key: press('\r', { return: true }), command: 'modal.no', calls: ['no'] },
    { layers: [modal, screen, global], key: press('q'), command: null, calls: [] },
    { layers: [modal, screen, global], key: press(' '), command: null, calls: [] },
  ])('$key.input → $command', ({ layers, key, command, calls: expected }) => {
    calls.length = 0;
    expect(dispatchKey(layers, key.input, key.key)).toBe(command);
    expect(calls).toEqual(expected);
  });

  it('skips dangerous commands when read-only (replay, follow)', () => {
    calls.length = 0;
    expect(dispatchKey([screen, global], '\r', { ...none, return: true }, { isReadOnly: true })).toBeNull();
    expect(dispatchKey([screen, global], '!', none, { isReadOnly: true })).toBeNull();
    expect(dispatchKey([screen, global], ' ', none, { isReadOnly: true })).toBe('deck.next');
    expect(calls).toEqual(['next']);
  });

  it('gives text entry the raw key before falling through', () => {
    const typed: string[] = [];
    const filter: KeyLayer = { id: 'filter', isExclusive: true, handlers: {}, onText: (input) => (typed.push(input), true) };
    expect(dispatchKey([filter, screen, global], 'q', none)).toBe('text');
    expect(typed).toEqual(['q']);
  });
});

describe('the key table', () => {
  it('lists each command once and gives every command a key and a description', () => {
    const commands = KEY_BINDINGS.map((b) => b.command);
    expect(new Set(commands).size).toBe(commands.length);
    for (const binding of KEY_BINDINGS) {
      expect(binding.keys.length).toBeGreaterThan(0);
      expect(binding.description).not.toBe('');
    }
  });

  it('has the keys issue 4 names', () => {
    const keysOf = (command: string) => KEY_BINDINGS.find((b) => b.command === command)?.keys;
    expect(keysOf('deck.next')).toEqual(['space', 'right', 'n']);
    expect(keysOf('deck.back')).toEqual(['left', 'p']);
    expect(keysOf('deck.run')).toEqual(['enter']);
    expect(keysOf('deck.restore')).toEqual(['r']);
    expect(keysOf('deck.halt')).toEqual(['!']);
    expect(keysOf('deck.quit')).toEqual(['q']);
    expect(keysOf('ui.help')).toEqual(['?']);
    expect(keysOf('ui.zoom')).toEqual(['f']);
    expect(keysOf('ui.focusNext')).toEqual(['tab']);
    expect(['logs.follow', 'logs.wrap', 'logs.timestamps', 'logs.filter'].map((c) => keysOf(c)?.[0])).toEqual(['s', 'w', 't', '/']);
  });

  it('footer bindings come from the layers that act, modal first, without dangerous ones when read-only', () => {
    const screen: KeyLayer = { id: 'screen', handlers: { 'deck.next': () => true, 'deck.run': () => true } };
    const global: KeyLayer = { id: 'global', handlers: { 'deck.quit': () => true } };
    expect(activeBindings([screen, global]).map((b) => b.command)).toEqual(['deck.next', 'deck.run', 'deck.quit']);
    expect(activeBindings([screen, global], { isReadOnly: true }).map((b) => b.command)).toEqual(['deck.next', 'deck.quit']);
  });
});
