import { describe, expect, it } from 'vitest';
import type { Driver } from '../../src/drivers/driver';
import { createExecRunner } from '../../src/drivers/exec';
import { createRegistry } from '../../src/drivers/registry';
import { shellDriver } from '../../src/drivers/shell';
import type { DeckEvent } from '../../src/engine/events';
import { startRun } from '../../src/engine/run';
import { EnvironmentSchema } from '../../src/scenario/environment';
import { ScenarioSchema } from '../../src/scenario/schema';
import { tempDir, waitFor } from '../helpers';

// Generated traffic is not a fault: the room is not told it is one, restoring
// faults keeps it running (recovery is measured under it), and the end of the
// run stops it like any other undo.

function trafficDriver(log: string[]): Driver {
  return {
    name: 'traffic',
    verbs: new Set(['load', 'stop']),
    describe: (action) => action.verb,
    async prepareUndo(action) {
      return action.verb === 'load'
        ? { verb: 'stop-load', params: {}, summary: 'stop the load', kind: 'traffic' }
        : { verb: 'start', params: {}, summary: 'start it again' };
    },
    async apply(action) {
      log.push(action.verb);
      return { isOk: true };
    },
    async undo(undo) {
      log.push(undo.verb);
      return { isOk: true };
    },
  };
}

describe('traffic undos', () => {
  it('are not faults, survive the restore phase, and stop at the end', async () => {
    const log: string[] = [];
    const scenario = ScenarioSchema.parse({
      id: 'traffic', title: 'Traffic', hypothesis: 'h', targets: { shop: {} },
      steps: [
        { phase: 'baseline', title: 'load', run: [{ verb: 'load', target: 'shop', rate: 10 }] },
        { phase: 'inject', title: 'stop', run: [{ verb: 'stop', target: 'shop' }] },
        { phase: 'restore', title: 'restore' },
      ],
    });
    const environment = EnvironmentSchema.parse({ name: 'test', isReal: false, targets: { shop: { driver: 'traffic' } } });
    const events: DeckEvent[] = [];
    const run = startRun({
      scenario, environment, registry: createRegistry([shellDriver, trafficDriver(log)]), runner: createExecRunner(),
      mode: 'live', isAuto: false, host: { confirm: async () => true }, stateDir: tempDir(), sinks: [(e) => events.push(e)],
    });
    const { controller } = run;
    controller.runStep();
    await waitFor(() => log.includes('load'), { message: 'load' });
    expect(run.view().pendingFaults).toHaveLength(0);
    await waitFor(() => !controller.isBusy());
    controller.next();
    controller.runStep();
    await waitFor(() => log.includes('stop'), { message: 'stop' });
    expect(run.view().pendingFaults.map((f) => f.summary)).toEqual(['start it again']);
    await waitFor(() => !controller.isBusy());
    controller.next();
    controller.runStep();
    await waitFor(() => log.includes('start'), { message: 'the fault restored' });
    await waitFor(() => !controller.isBusy());
    expect(log).toEqual(['load', 'stop', 'start']);
    expect(run.view().pendingFaults).toHaveLength(0);
    const outcome = await controller.finish();
    expect(log).toEqual(['load', 'stop', 'start', 'stop-load']);
    expect(outcome.pendingFaults).toBe(0);
  });
});
