import { beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ociDriver } from '../../src/drivers/oci';
import { ActionSchema, type Action } from '../../src/scenario/schema';
import { createTestContext, createTestSourceContext, waitFor, type TestContextOptions } from '../fixtures/drivers/context';

// The OCI CLI cannot be installed here, so these tests put a stand-in `oci`
// (test/fixtures/oci-standin/oci, a Node script) first on PATH. It checks its
// arguments like the real CLI (unknown or missing options exit 2) and answers
// with JSON shaped like the CLI's documented output. The driver runs it as a
// real child process through the same command runner as the real CLI.

const STANDIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'oci-standin');
const INSTANCE = 'ocid1.instance.oc1.ap-mumbai-1.api1';
const LB = 'ocid1.loadbalancer.oc1.ap-mumbai-1.lb1';
const COMPARTMENT = 'ocid1.compartment.oc1..shop';
const action = (input: Record<string, unknown>): Action => ActionSchema.parse({ target: 'api', ...input });

describe('oci driver against a stand-in oci executable on PATH', () => {
  let stateFile: string;
  let logFile: string;
  let env: Record<string, string>;
  const binding = { driver: 'oci', instance: INSTANCE, loadBalancer: LB, backendSet: 'bharatmart-bs', backend: '10.0.1.10:3000' };
  const options = (extra: Partial<TestContextOptions> = {}): TestContextOptions => ({
    targetName: 'api', binding, env, config: { compartment: COMPARTMENT, region: 'ap-mumbai-1', maxWaitSeconds: 60 },
    environment: { targets: { api: binding } }, ...extra,
  });
  const state = () => JSON.parse(readFileSync(stateFile, 'utf8'));
  const calls = (): string[][] => readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);

  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'oci-standin-'));
    stateFile = join(dir, 'state.json');
    logFile = join(dir, 'calls.log');
    writeFileSync(logFile, '');
    writeFileSync(stateFile, JSON.stringify({
      namespace: 'bharatmart',
      instances: { [INSTANCE]: { displayName: 'bharatmart-api-1', state: 'RUNNING' } },
      backends: { [`${LB}|bharatmart-bs|10.0.1.10:3000`]: { backup: false, drain: false, offline: false, weight: 3, instance: INSTANCE } },
      alarms: [
        { compartment: COMPARTMENT, 'display-name': 'HighLatencyP95', id: 'ocid1.alarm.oc1..a', severity: 'CRITICAL', status: 'FIRING', 'timestamp-triggered': '2025-01-01T00:00:00Z' },
        { compartment: COMPARTMENT, 'display-name': 'Backend5xx', id: 'ocid1.alarm.oc1..b', severity: 'WARNING', status: 'OK' },
      ],
      metrics: [{ name: 'HttpResponses', namespace: 'oci_lbaas', dimensions: { backendSetName: 'bharatmart-bs' }, 'aggregated-datapoints': [{ timestamp: '2025-01-01T00:00:00Z', value: 10 }, { timestamp: '2025-01-01T00:01:00Z', value: 42 }] }],
    }));
    env = { PATH: `${STANDIN}:${process.env.PATH}`, OCI_STANDIN_STATE: stateFile, OCI_STANDIN_LOG: logFile };
  });

  it('stops an instance with --wait-for-state and starts it again on undo', async () => {
    const context = createTestContext(options());
    const undo = await ociDriver.prepareUndo(action({ verb: 'stop' }), context);
    expect(undo).toMatchObject({ verb: 'start', params: { instance: INSTANCE } });
    expect((await ociDriver.apply(action({ verb: 'stop' }), context)).isOk).toBe(true);
    expect(context.shown.at(-1)?.display).toBe(`oci --region ap-mumbai-1 compute instance action --instance-id ${INSTANCE} --action STOP --wait-for-state STOPPED --max-wait-seconds 60`);
    expect(state().instances[INSTANCE].state).toBe('STOPPED');
    expect((await ociDriver.undo(undo!, context)).isOk).toBe(true);
    expect(state().instances[INSTANCE].state).toBe('RUNNING');
  });

  it('drains a backend and restores the drain, weight, backup and offline values read first', async () => {
    const context = createTestContext(options());
    const drain = action({ verb: 'drain' });
    const undo = await ociDriver.prepareUndo(drain, context);
    expect(undo?.params).toMatchObject({ drain: false, weight: 3, backup: false, offline: false });
    expect((await ociDriver.apply(drain, context)).isOk).toBe(true);
    expect(state().backends[`${LB}|bharatmart-bs|10.0.1.10:3000`]).toMatchObject({ drain: true, weight: 3 });
    expect(calls().at(-1)).toEqual(expect.arrayContaining(['lb', 'backend', 'update', '--drain', 'true', '--weight', '3']));
    expect((await ociDriver.undo(undo!, context)).isOk).toBe(true);
    expect(state().backends[`${LB}|bharatmart-bs|10.0.1.10:3000`]).toMatchObject({ drain: false, weight: 3 });
  });

  it('surfaces the ServiceError message of a failed call', async () => {
    const context = createTestContext(options({ binding: { ...binding, instance: 'ocid1.instance.oc1..missing' } }));
    const outcome = await ociDriver.apply(action({ verb: 'stop' }), context);
    expect(outcome).toMatchObject({ isOk: false, error: 'NotAuthorizedOrNotFound: Authorization failed or requested resource not found.' });
  });

  it('polls instance state and backend health into one status event', async () => {
    const context = createTestSourceContext(options());
    state();
    const current = state();
    current.instances[INSTANCE].state = 'STOPPED';
    writeFileSync(stateFile, JSON.stringify(current));
    const source = ociDriver.openSource!({ kind: 'status', from: 'oci' }, context)!;
    const status = await waitFor(() => context.events.find((e) => e.type === 'status'), 10_000, 'status');
    expect(status).toMatchObject({ targets: [
      { name: 'api', state: 'STOPPED', isReady: false, detail: 'bharatmart-api-1' },
      { name: 'api backend 10.0.1.10:3000', state: 'CRITICAL', isReady: false, detail: 'CONNECT_FAILED' },
    ] });
    await source.stop();
  });

  it('reads alarm status as alerts and Monitoring metrics as metric events', async () => {
    const context = createTestSourceContext(options());
    const alarms = ociDriver.openSource!({ kind: 'alerts', from: 'oci' }, context)!;
    const metrics = ociDriver.openSource!({ kind: 'metrics', from: 'oci', namespace: 'oci_lbaas', query: 'HttpResponses[1m].sum()', name: 'lb_responses' }, context)!;
    await waitFor(() => context.events.filter((e) => e.type === 'alert').length >= 2 && context.events.some((e) => e.type === 'metric'), 10_000, 'alerts and metric');
    expect(context.events.filter((e) => e.type === 'alert')).toEqual([
      expect.objectContaining({ name: 'HighLatencyP95', state: 'firing', summary: 'CRITICAL' }),
      expect.objectContaining({ name: 'Backend5xx', state: 'ok' }),
    ]);
    expect(context.events.find((e) => e.type === 'metric')).toMatchObject({ name: 'lb_responses', value: 42, labels: { backendSetName: 'bharatmart-bs' } });
    const summarize = calls().find((c) => c.includes('summarize-metrics-data'))!;
    expect(Date.parse(summarize[summarize.indexOf('--start-time') + 1]!)).toBeLessThan(Date.parse(summarize[summarize.indexOf('--end-time') + 1]!));
    await alarms.stop();
    await metrics.stop();
  });

  it('doctor finds the binary, the config and the tenancy', async () => {
    const runner = createTestSourceContext({ env }).runner;
    const checks = await ociDriver.doctor!({ compartment: COMPARTMENT, auth: 'instance_principal' }, runner);
    expect(checks).toEqual([
      expect.objectContaining({ name: 'oci binary', isOk: true, detail: 'oci 3.50.0' }),
      expect.objectContaining({ name: 'oci config', isOk: true }),
      expect.objectContaining({ name: 'OCI API', isOk: true, detail: 'tenancy answers (namespace bharatmart)' }),
    ]);
    expect(calls().at(-1)).toEqual(['--auth', 'instance_principal', 'os', 'ns', 'get']);
  });
});
