import { describe, expect, it, vi } from 'vitest';

// Ink decides at import time whether it runs in CI (then it draws no live
// frames at all); these tests need the live path, so CI goes before Ink loads.
vi.hoisted(() => {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
});

const { App } = await import('../../src/ui/App');
const { injectedRun, mount, plain, scenario, stamp, storeWith, waitFor } = await import('./ui-harness');
const { ScreenWriterContext } = await import('../../src/ui/screen-writer');

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

describe('an idle deck on a terminal', () => {
  it('paints the header clock in place each second and draws no Ink frame for it', async () => {
    const startedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const store = storeWith(stamp([
      { type: 'run.started', runId: 'r1', scenario, environment: { name: 'lab', isLab: true }, mode: 'live', isAuto: false, startedAt },
      { type: 'step.entered', index: 0, phase: 'baseline' },
    ]));
    const paints: { row: number; column: number; text: string }[] = [];
    const writer = { writeAt: (row: number, column: number, text: string) => void paints.push({ row, column, text }) };
    const mounted = mount(
      <ScreenWriterContext.Provider value={writer}>
        <App run={{ store, isAudience: false }} onExit={() => {}} />
      </ScreenWriterContext.Provider>,
      { columns: 160, rows: 48, debug: false },
    );
    try {
      await waitFor(() => mounted.terminal.writes.join('').includes('Breakers'), { what: 'first frame' });
      const frames = mounted.terminal.writes.length;
      await waitFor(() => paints.length >= 2, { timeoutMs: 4000, what: 'two clock paints' });
      expect(mounted.terminal.writes.length).toBe(frames);
      const [first, second] = paints as [typeof paints[0], typeof paints[0]];
      expect(first.row).toBe(0);
      expect(first.text).toMatch(/^ 5:0\d $/);
      expect(second.text).not.toBe(first.text);
      // The clock sits just left of the mode badge, ending where the badge starts.
      expect(first.column + first.text.length).toBe(160 - ' LIVE '.length);
      const headerRow = plain(mounted.terminal.writes.join('')).split('\n').find((row) => row.includes('BASELINE'))!;
      // Ink trims the row's trailing space; the badge starts where the painted clock ends.
      expect(headerRow.indexOf(' LIVE')).toBe(first.column + first.text.length);
    } finally {
      mounted.unmount();
    }
  });
});
