import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExperimentLogFormatter, experimentLogName } from '../../src/learn/experiment-log';
import { loadLearningPath } from '../../src/learn/path';
import { learningPosition, positionOf } from '../../src/learn/position';
import { readProgress, recordRun, resetProgress } from '../../src/learn/progress';
import type { DeckEvent } from '../../src/engine/events';

// The learning path as shipped (scenarios/learning-path.yaml) and the progress
// kept in a state directory: the weeks of training doc 003, each entry a lab
// scenario that exists, and "next up" moving as verdicts are recorded.

const root = join(import.meta.dirname, '..', '..', 'scenarios');
const stateDir = () => mkdtempSync(join(tmpdir(), 'chaosdeck-learn-'));
const run = (verdict: 'PASS' | 'FAIL', status = 'completed') => ({ runId: `r-${Math.random()}`, verdict, status, at: new Date().toISOString(), environment: 'lab' });

describe('the learning path', () => {
  const resolved = loadLearningPath(root);

  it('has the four weeks of the issue, each mapped to lab scenarios', () => {
    const weeks = resolved.path.weeks.map((w) => ({ week: w.week, refs: w.scenarios.map((s) => s.scenario) }));
    expect(weeks).toEqual([
      { week: 1, refs: ['lab/db-sudden-death', 'lab/cache-failure', 'lab/edge-failure'] },
      { week: 2, refs: ['lab/cpu-saturation', 'lab/connection-pool-exhaustion'] },
      { week: 3, refs: ['lab/network-partition', 'lab/slow-dependency'] },
      { week: 4, refs: ['lab/memory-leak-oom', 'lab/disk-io-starvation', 'lab/cascade-recovery'] },
    ]);
    for (const entry of resolved.entries) {
      expect(entry.pack).toBe('lab');
      expect(entry.title.length).toBeGreaterThan(5);
      expect(entry.reflectionText, `${entry.id} has a reflection question`).toMatch(/\?/);
      expect(entry.expectedVerdict).toBe('PASS');
    }
  });

  it('names real-world experiments that exist', () => {
    for (const entry of resolved.entries) {
      for (const ref of entry.realWorld) expect(readFileSync(join(root, `${ref}.yaml`), 'utf8')).toMatch(/^id: /m);
    }
  });

  it('starts at week 1 with the database experiment and nothing done', () => {
    expect(learningPosition(stateDir(), root)).toEqual({
      week: 1,
      next: { scenarioId: 'db-sudden-death', pack: 'lab', ref: 'lab/db-sudden-death', title: resolved.entries[0]!.title },
      done: 0,
      total: 10,
    });
  });

  it('moves next up as verdicts are recorded; a FAIL or an abort does not count', () => {
    const dir = stateDir();
    recordRun(dir, 'lab/db-sudden-death', run('FAIL'));
    expect(learningPosition(dir, root)).toMatchObject({ week: 1, done: 0, next: { ref: 'lab/db-sudden-death' } });
    recordRun(dir, 'lab/db-sudden-death', run('PASS', 'aborted'));
    expect(learningPosition(dir, root).done).toBe(0);
    recordRun(dir, 'lab/db-sudden-death', run('PASS'));
    recordRun(dir, 'lab/cache-failure', run('PASS'));
    recordRun(dir, 'lab/edge-failure', run('PASS'));
    expect(learningPosition(dir, root)).toMatchObject({ week: 2, done: 3, next: { ref: 'lab/cpu-saturation' } });
    expect(readProgress(dir).scenarios['lab/db-sudden-death']!.runs.map((r) => r.verdict)).toEqual(['FAIL', 'PASS', 'PASS']);
    resetProgress(dir);
    expect(learningPosition(dir, root).done).toBe(0);
  });

  it('is complete when every entry reached its verdict', () => {
    const dir = stateDir();
    for (const entry of resolved.entries) recordRun(dir, `${entry.pack}/${entry.id}`, run('PASS'));
    const position = positionOf(resolved, readProgress(dir));
    expect(position).toEqual({ week: 4, done: 10, total: 10 });
  });
});

describe('the classic experiment log of the trading-exchange pack', () => {
  it('names files like the scripts did', () => {
    expect(experimentLogName('01-database-sudden-death', new Date(2025, 9, 6, 14, 30, 15))).toBe('chaos-exp-01-20251006-143015');
  });

  it('writes success, warning and error lines, and sends BPF lines to the .bpf file', () => {
    const format = createExperimentLogFormatter(new Date(2025, 9, 6, 14, 30, 15).getTime());
    const events: DeckEvent[] = [
      { t: 0, type: 'step.entered', index: 1, phase: 'inject' },
      { t: 1000, type: 'check', checkId: 'c', kind: 'expect', step: 1, label: 'postgres running', status: 'met', observed: 'running' },
      { t: 2000, type: 'check', checkId: 'd', kind: 'expect', step: 1, label: 'API healthy', status: 'missed', observed: '503', expected: '200' },
      { t: 3000, type: 'log.lines', source: 'bpf-connect', lines: [{ text: 'connect pid=4 comm=api ret=-111' }], dropped: 0 },
      { t: 4000, type: 'log.lines', source: 'kernel', lines: [{ text: 'Out of memory: Killed process 12345 (trading-api)' }], dropped: 0 },
    ];
    const out = events.flatMap((e) => format(e));
    expect(out).toEqual([
      { file: 'log', text: '[2025-10-06 14:30:15]   --- Step 2 (inject) ---' },
      { file: 'log', text: '[2025-10-06 14:30:16] ✓ postgres running (running)' },
      { file: 'log', text: '[2025-10-06 14:30:17] ✗ API healthy: expected 200, saw 503' },
      { file: 'bpf', text: 'connect pid=4 comm=api ret=-111' },
      { file: 'log', text: '[2025-10-06 14:30:19]   [kernel] Out of memory: Killed process 12345 (trading-api)' },
      { file: 'oom', text: '[2025-10-06 14:30:19] Out of memory: Killed process 12345 (trading-api)' },
    ]);
  });
});
