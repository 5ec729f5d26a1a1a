import { describe, expect, it } from 'vitest';
import { niceMax, renderChart, segmentsText } from '../../src/ui/sparkline';
import { ASCII_GLYPHS, UNICODE_GLYPHS } from '../../src/ui/theme/glyphs';

const points = (values: number[], p50 = 0) => values.map((p95, i) => ({ t: i * 1000, p95, p50 }));

describe('niceMax', () => {
  it.each([[0, 1], [0.3, 0.5], [1, 1], [7, 10], [120, 200], [480, 500], [501, 1000], [1250, 2000]])('%d → %d', (value, expected) => {
    expect(niceMax(value)).toBe(expected);
  });
});

describe('renderChart', () => {
  it.each([
    { name: 'one row, 8 levels', values: [0, 10, 50, 100], height: 1, width: 4, rows: [' ▁▄█'] },
    { name: 'right-aligned with padding', values: [100], height: 1, width: 3, rows: ['  █'] },
    { name: 'only the newest samples fit', values: [100, 0, 0, 100], height: 1, width: 2, rows: [' █'] },
    { name: 'two rows stack', values: [100, 50, 25], height: 2, width: 3, rows: ['█  ', '██▄'] },
    { name: 'ASCII levels', values: [0, 50, 100], height: 1, width: 3, glyphs: ASCII_GLYPHS, rows: [' ~#'] },
  ])('$name', ({ values, height, width, rows, glyphs = UNICODE_GLYPHS }) => {
    const chart = renderChart({ points: points(values), width, height, glyphs });
    expect(chart.rows.map(segmentsText)).toEqual(rows);
  });

  it('draws the threshold through empty cells and marks columns over it', () => {
    const chart = renderChart({ points: points([100, 100, 900]), width: 4, height: 2, threshold: 500, glyphs: UNICODE_GLYPHS });
    expect(chart.max).toBe(1000);
    expect(chart.rows.map(segmentsText)).toEqual(['┄┄┄▆', ' ▂▂█']);
    const top = chart.rows[0]!;
    expect(top.find((s) => s.role === 'threshold')?.text).toBe('┄┄┄');
    expect(top.find((s) => s.role === 'overThreshold')?.text).toBe('▆');
  });

  it('draws the part under p50 in its own role', () => {
    const chart = renderChart({ points: [{ t: 0, p95: 100, p50: 50 }], width: 1, height: 2, glyphs: UNICODE_GLYPHS });
    expect(chart.rows.map((r) => r[0]!.role)).toEqual(['p95', 'p50']);
  });

  it('puts inject, restore and halt markers under the samples they happened at', () => {
    const chart = renderChart({
      points: points([10, 10, 10, 10, 10]),
      markers: [{ t: 1000, kind: 'inject' }, { t: 2500, kind: 'restore' }, { t: 9000, kind: 'halt' }, { t: -5, kind: 'inject' }],
      width: 6,
      height: 1,
      glyphs: UNICODE_GLYPHS,
    });
    expect(segmentsText(chart.markerRow)).toBe('  ▲ ▼■');
  });

  it('draws nothing but the frame without samples', () => {
    const chart = renderChart({ points: [], width: 3, height: 2, glyphs: UNICODE_GLYPHS });
    expect(chart.rows.map(segmentsText)).toEqual(['   ', '   ']);
    expect(segmentsText(chart.markerRow)).toBe('   ');
  });
});

describe('renderChart on a log scale', () => {
  it('keeps a few-ms baseline readable next to a 500 ms threshold', () => {
    const linear = renderChart({ points: points([4, 5, 6, 8]), width: 4, height: 2, threshold: 500, glyphs: UNICODE_GLYPHS });
    expect(linear.rows.map(segmentsText)).toEqual(['┄┄┄┄', '▁▁▁▁']);
    const log = renderChart({ points: points([4, 5, 6, 8]), width: 4, height: 2, threshold: 500, glyphs: UNICODE_GLYPHS, scale: 'log' });
    expect(log.max).toBe(1000);
    expect(log.min).toBe(1);
    // log10(4)/3 of 16 levels ≈ 3, log10(8)/3 of 16 ≈ 5: the baseline fills part of the bottom row.
    expect(log.rows.map(segmentsText)).toEqual(['┄┄┄┄', '▃▄▄▅']);
    expect(log.thresholdRow).toBe(0);
  });

  it('puts the threshold on the row its value reaches and marks columns over it', () => {
    const chart = renderChart({ points: points([10, 1000]), width: 2, height: 4, threshold: 100, glyphs: UNICODE_GLYPHS, scale: 'log' });
    expect(chart.max).toBe(1000);
    // log10(100/1)/3 of 4 rows: row 2 from the bottom, row 1 from the top.
    expect(chart.thresholdRow).toBe(1);
    expect(chart.rows[0]!.at(-1)).toEqual({ text: '█', role: 'overThreshold' });
    expect(segmentsText(chart.rows[1]!)).toBe('┄█');
  });

  it('reports a zero bottom on a linear scale and no threshold row without a threshold', () => {
    const chart = renderChart({ points: points([10]), width: 1, height: 2, glyphs: UNICODE_GLYPHS });
    expect(chart.min).toBe(0);
    expect(chart.thresholdRow).toBe(-1);
  });
});
