import { describe, expect, it, vi } from 'vitest';

// Ink decides at import time whether it runs in CI (then it draws no live
// frames at all); these tests need the live path, so CI goes before Ink loads.
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});

const { App } = await import('../../src/ui/App');
const { injectedRun, mount, storeWith, waitFor } = await import('./ui-harness');

// Ink's full-screen path writes ansiEscapes.clearTerminal: ESC[2J ESC[3J ESC[H.
const FULL_CLEAR = '\x1b[2J';

describe('rendering as the CLI mounts it (incremental, one row short)', () => {
  it('steady-state frames rewrite only what changed and never clear the screen', async () => {
    const store = storeWith(injectedRun());
    const mounted = mount(<App run={{ store, isAudience: false }} onExit={() => {}} />, { columns: 160, rows: 48, debug: false });
    try {
      await waitFor(() => mounted.terminal.writes.join('').includes('Breakers'), { what: 'first frame' });
      const first = mounted.terminal.writes.join('');
      const before = mounted.terminal.writes.length;
      for (let i = 0; i < 20; i++) {
        store.dispatch({ type: 'log.lines', t: 10_000 + i * 100, source: 'api-1', lines: [{ text: `steady line ${i}` }], dropped: 0 });
        store.flush();
        await waitFor(() => mounted.terminal.writes.join('').includes(`steady line ${i}`), { what: `line ${i}` });
      }
      const steady = mounted.terminal.writes.slice(before);
      expect(steady.length).toBeGreaterThan(0);
      expect(steady.join('')).not.toContain(FULL_CLEAR);
      // Incremental: unchanged rows are skipped with cursor-next-line (ESC[E) rather
      // than erased and rewritten (ESC[2K per row is the standard path's eraseLines).
      // Each frame arrives between synchronized-output markers (ESC[?2026h … ESC[?2026l).
      for (const frame of steady.filter((w) => !w.startsWith('\x1b[?2026'))) {
        expect(frame).not.toContain('\x1b[2K');
        expect(frame.split('\x1b[E').length - 1).toBeGreaterThan(47 / 3);
      }
      expect(first).toContain('Breakers');
    } finally {
      mounted.unmount();
    }
  });

  it('follows a resize, and below 80×24 says what it needs', async () => {
    const store = storeWith(injectedRun());
    const mounted = mount(<App run={{ store, isAudience: false }} onExit={() => {}} />, { columns: 120, rows: 40 });
    try {
      expect(mounted.lastFrame()).toContain('Breakers');
      mounted.terminal.resize(70, 20);
      await waitFor(() => mounted.lastFrame().includes('needs 80×24, have 70×20'), { what: 'too small' });
      mounted.terminal.resize(200, 60);
      await waitFor(() => mounted.lastFrame().includes('Breakers'), { what: 'back to the deck' });
      expect(mounted.lastFrame().split('\n')).toHaveLength(59);
    } finally {
      mounted.unmount();
    }
  });
});
