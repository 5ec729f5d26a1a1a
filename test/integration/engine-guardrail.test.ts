import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startRun } from '../../src/engine/run';
import { builtinDrivers } from '../../src/drivers/registry';
import { createExecRunner } from '../../src/drivers/exec';
import type { DeckEvent } from '../../src/engine/events';
import { EnvironmentSchema } from '../../src/scenario/environment';
import { ScenarioSchema } from '../../src/scenario/schema';
import { tempDir, waitFor } from '../helpers';

// A stop condition halts and restores by itself: a source reports an error
// rate above the limit for long enough, and the fault goes away without anyone
// pressing a key.

describe('guardrails', () => {
  it('halt the run and restore when a stop condition holds for its duration', async () => {
    const flag = join(tempDir(), 'flag');
    const scenario = ScenarioSchema.parse({
      id: 'guarded', title: 'Guarded', hypothesis: 'errors stay low',
      targets: { flag: {} },
      stopConditions: [{ name: 'errors above 50 %', measure: 'errorRate', when: { gt: 0.5 }, for: '1s' }],
      steps: [
        { phase: 'inject', title: 'fault', run: [{ verb: 'exec', target: 'flag', argv: ['touch', flag], undo: ['rm', '-f', flag] }], wait: { duration: '60s' } },
        { phase: 'restore', title: 'restore' },
      ],
    });
    const environment = EnvironmentSchema.parse({ name: 'local', isReal: false, targets: { flag: { driver: 'shell' } } });
    const events: DeckEvent[] = [];
    const run = startRun({
      scenario, environment, registry: builtinDrivers(), runner: createExecRunner(), mode: 'live', isAuto: true,
      host: { confirm: async () => true }, stateDir: tempDir(), sinks: [(e) => events.push(e)],
    });
    await waitFor(() => existsSync(flag), { message: 'the fault' });
    // What a latency source would emit while the system suffers.
    const source = setInterval(() => run.bus.emit({ type: 'latency', source: 'probe', p50: 5, p95: 9, p99: 12, rps: 50, errorRate: 0.8 }), 100);
    const outcome = await run.controller.done;
    clearInterval(source);
    expect(existsSync(flag)).toBe(false);
    expect(events.find((e) => e.type === 'halted')).toMatchObject({ guardrail: 'errors above 50 %' });
    expect(outcome).toEqual({ status: 'interrupted', exitCode: 3, pendingFaults: 0 });
    expect(events.find((e) => e.type === 'verdict')).toMatchObject({ outcome: 'FAIL' });
  });

  it('do not trip on a brief spike shorter than their duration', async () => {
    const scenario = ScenarioSchema.parse({
      id: 'spike', title: 'Spike', hypothesis: 'h',
      stopConditions: [{ name: 'errors', measure: 'errorRate', when: { gt: 0.5 }, for: '2s' }],
      steps: [{ phase: 'observe', title: 'watch', wait: { duration: '1500ms' } }],
    });
    const environment = EnvironmentSchema.parse({ name: 'local', isReal: false });
    const run = startRun({
      scenario, environment, registry: builtinDrivers(), runner: createExecRunner(), mode: 'live', isAuto: true,
      host: { confirm: async () => true }, stateDir: tempDir(),
    });
    run.bus.emit({ type: 'latency', source: 'probe', p50: 5, p95: 9, p99: 12, rps: 50, errorRate: 0.9 });
    setTimeout(() => run.bus.emit({ type: 'latency', source: 'probe', p50: 5, p95: 9, p99: 12, rps: 50, errorRate: 0 }), 500);
    const outcome = await run.controller.done;
    expect(outcome.status).toBe('completed');
    expect(run.view().halted).toBeNull();
  });
});
