import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { readRecording } from '../../src/record/reader';
import { ReplayTimeline } from '../../src/record/timeline';
import { summarizeRun } from '../../src/report/summary';
import { repoRoot } from '../helpers';

// The recordings shipped in recordings/ are real lab runs made by the deck.
// Each must read cleanly, replay to its recorded end, and report exactly the
// verdict the live run reached from the same events.

const dir = join(repoRoot, 'recordings');
const samples = readdirSync(dir).filter((f) => /^lab-.*\.jsonl$/.test(f)).sort();

describe('shipped recordings', () => {
  it('ship at least three lab runs', () => {
    expect(samples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(samples)('%s reads, replays and reports what the live run concluded', async (name) => {
    const recording = await readRecording(join(dir, name));
    expect(recording.problem).toBeNull();
    expect(recording.header.environment.isLab).toBe(true);
    const finished = recording.events.find((e): e is Extract<DeckEvent, { type: 'run.finished' }> => e.type === 'run.finished')!;
    const verdict = recording.events.find((e): e is Extract<DeckEvent, { type: 'verdict' }> => e.type === 'verdict')!;
    expect(finished).toBeDefined();
    expect(verdict).toBeDefined();

    const timeline = new ReplayTimeline();
    timeline.append(recording.events);
    expect(timeline.finalState.status).toBe(finished.status);
    expect(timeline.markers.map((m) => m.phase)).toEqual(expect.arrayContaining(['baseline', 'inject', 'restore']));

    const summary = summarizeRun(recording.events);
    expect(summary.criteria).toEqual(verdict.criteria);
    expect(summary.outcome).toBe(verdict.outcome);
    expect(summary.status).toBe(finished.status);
    expect(summary.faultsLeft).toHaveLength(finished.pendingFaults);
  });
});
