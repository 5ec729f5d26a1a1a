import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { reduceAll } from '../../src/engine/reducer';
import { ScenarioSchema } from '../../src/scenario/schema';
import { repoRoot } from '../helpers';

// The browser follower folds events with the engine's own reducer, bundled
// into web/reducer.js by the build (npm test builds first). The page must reach
// exactly the state the deck reaches.

const target = join(repoRoot, 'web', 'reducer.js');

describe('web/reducer.js', () => {
  it('folds a stream to the same state as the engine', async () => {
    const web = (await import(pathToFileURL(target).href)) as { reduceAll: typeof reduceAll };
    const scenario = ScenarioSchema.parse({ id: 'w', title: 'W', hypothesis: 'h', steps: [{ phase: 'baseline', title: 'a' }, { phase: 'inject', title: 'b' }] });
    const events: DeckEvent[] = [
      { type: 'run.started', t: 0, runId: 'r', scenario, environment: { name: 'lab', isLab: true }, mode: 'live', isAuto: false, startedAt: '2026-11-23T00:00:00Z' },
      { type: 'step.entered', t: 1, index: 1, phase: 'inject' },
      { type: 'rollback.registered', t: 2, undoId: 'u', actionId: 'a', summary: 'start api-2', isFault: true },
      { type: 'breaker', t: 2, source: 'lab', name: 'backendCB', state: 'CLOSED' },
      { type: 'breaker', t: 3, source: 'lab', name: 'backendCB', state: 'OPEN', failureRate: 75 },
      { type: 'latency', t: 3, source: 'load', p50: 4, p95: 9, p99: 12, rps: 50, errorRate: 0.1 },
      { type: 'status', t: 3, source: 'lab', targets: [{ name: 'api-2', state: 'stopped', isReady: false, restarts: 0 }] },
      { type: 'log.lines', t: 3, source: 'api', lines: [{ text: 'hello' }], dropped: 2 },
      { type: 'rollback.finished', t: 4, undoId: 'u', isOk: true },
      { type: 'run.finished', t: 5, status: 'completed', exitCode: 0, pendingFaults: 0 },
    ];
    expect(web.reduceAll(events)).toEqual(reduceAll(events));
  });
});
