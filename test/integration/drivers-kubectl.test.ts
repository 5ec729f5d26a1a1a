import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execaSync } from 'execa';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { kubectlDriver } from '../../src/drivers/kubectl';
import { ActionSchema, type Action } from '../../src/scenario/schema';
import { createTestContext, createTestSourceContext, waitFor, type TestContextOptions } from '../fixtures/drivers/context';
import { startFakeKubeApi, type FakeKubeApi, type KubeObject } from '../fixtures/drivers/kube-api';

// The real kubectl binary against a Kubernetes API served on 127.0.0.1 by the
// test, through a temporary kubeconfig. The fake serves no OpenAPI documents,
// so the driver runs with `validate: false` (kubectl apply --validate=false).

const hasKubectl = (() => {
  try {
    execaSync('kubectl', ['version', '--client']);
    return true;
  } catch {
    return false;
  }
})();
if (!hasKubectl) console.warn('skipping kubectl driver tests: the `kubectl` binary is not installed');

const pod = (name: string, app: string): KubeObject => ({ metadata: { name, labels: { app } } });
const action = (input: Record<string, unknown>): Action => ActionSchema.parse({ target: 'backend', ...input });
const pods = (api: FakeKubeApi) => api.store.get('/api/v1/namespaces/default/pods')!;

describe.skipIf(!hasKubectl)('kubectl driver against a local Kubernetes API', () => {
  let plain: FakeKubeApi;
  let mesh: FakeKubeApi;
  const options = (api: FakeKubeApi, binding: Record<string, unknown> = {}): TestContextOptions => ({
    targetName: 'backend',
    binding: { driver: 'kubectl', selector: 'app=backend', deployment: 'backend', ...binding },
    config: { kubeconfig: api.kubeconfig, namespace: 'default', validate: false },
    environment: { targets: { backend: { driver: 'kubectl', selector: 'app=backend' }, client: { driver: 'kubectl', selector: 'app=client' } } },
  });

  beforeAll(async () => {
    const deployments = [{ metadata: { name: 'backend', labels: { app: 'backend' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', env: [{ name: 'MODE', value: 'normal' }] }] } } } }];
    plain = await startFakeKubeApi({ pods: [pod('backend-aaaaa', 'backend'), pod('backend-bbbbb', 'backend'), pod('backend-ccccc', 'backend'), pod('client-aaaaa', 'client')], deployments });
    mesh = await startFakeKubeApi({ pods: [pod('backend-aaaaa', 'backend'), pod('client-aaaaa', 'client')], deployments, hasChaosMesh: true });
  });
  afterAll(async () => {
    await plain?.close();
    await mesh?.close();
  });

  it('deletes pods by selector within the blast radius', async () => {
    const context = createTestContext(options(plain, { blastRadius: '50%' }));
    const before = [...pods(plain).keys()].filter((n) => n.startsWith('backend'));
    expect(await kubectlDriver.prepareUndo(action({ verb: 'kill' }), context)).toBeNull();
    const outcome = await kubectlDriver.apply(action({ verb: 'kill' }), context);
    expect(outcome.isOk).toBe(true);
    const deleteCommand = context.shown.find((s) => s.display.includes(' delete pod '))!;
    const deleted = deleteCommand.display.split(' delete pod ')[1]!.split(' ').filter((w) => w.startsWith('backend-'));
    expect(deleted).toHaveLength(2);
    expect(deleteCommand.display).toMatch(/--wait=false --grace-period=0 --force$/);
    for (const name of deleted) expect(before).toContain(name);
    for (const name of deleted) expect(pods(plain).has(name)).toBe(false);
    expect(pods(plain).has('client-aaaaa')).toBe(true);
  });

  it('scales a deployment and undoes to the replicas read first', async () => {
    const context = createTestContext(options(plain));
    const scale = action({ verb: 'scale', replicas: 5 });
    const undo = await kubectlDriver.prepareUndo(scale, context);
    expect(undo).toMatchObject({ verb: 'scale', params: { deployment: 'backend', replicas: 2 } });
    expect((await kubectlDriver.apply(scale, context)).isOk).toBe(true);
    const deployment = () => plain.store.get('/apis/apps/v1/namespaces/default/deployments')!.get('backend')!.spec as { replicas: number };
    expect(deployment().replicas).toBe(5);
    expect((await kubectlDriver.undo(undo!, context)).isOk).toBe(true);
    expect(deployment().replicas).toBe(2);
  });

  it('partitions with a NetworkPolicy when the cluster has no Chaos Mesh, and heals by deleting it', async () => {
    const context = createTestContext(options(plain));
    const partition = action({ verb: 'partition', to: 'client', direction: 'egress' });
    const undo = await kubectlDriver.prepareUndo(partition, context);
    expect(undo).toMatchObject({ verb: 'delete', params: { name: 'chaosdeck-partition-backend' } });
    expect((await kubectlDriver.apply(partition, context)).isOk).toBe(true);
    const policies = plain.store.get('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies')!;
    const policy = policies.get('chaosdeck-partition-backend')!;
    expect(policy.spec).toMatchObject({
      podSelector: { matchLabels: { app: 'backend' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['client'] }] } }, expect.anything()] }, expect.anything()],
    });
    const applied = context.shown.find((s) => s.display.includes(' apply '))!.display;
    const file = applied.split(' -f ')[1]!;
    expect(parse(readFileSync(file, 'utf8'))).toMatchObject({ kind: 'NetworkPolicy', metadata: { name: 'chaosdeck-partition-backend' } });
    expect((await kubectlDriver.undo(undo!, context)).isOk).toBe(true);
    expect(policies.has('chaosdeck-partition-backend')).toBe(false);
    expect((await kubectlDriver.undo(undo!, context)).isOk).toBe(true);
  });

  it('uses a Chaos Mesh NetworkChaos for latency when api-resources lists chaos-mesh.org', async () => {
    const context = createTestContext(options(mesh));
    const latency = action({ verb: 'latency', ms: 300, jitter: 50, to: 'client' });
    const undo = await kubectlDriver.prepareUndo(latency, context);
    expect(context.shown[0]?.display).toMatch(/api-resources --api-group=chaos-mesh.org -o name$/);
    expect(undo).toMatchObject({ verb: 'delete', params: { resource: 'networkchaos.chaos-mesh.org', name: 'chaosdeck-latency-backend' } });
    expect((await kubectlDriver.apply(latency, context)).isOk).toBe(true);
    const chaos = mesh.store.get('/apis/chaos-mesh.org/v1alpha1/namespaces/default/networkchaos')!;
    expect(chaos.get('chaosdeck-latency-backend')?.spec).toMatchObject({
      action: 'delay', mode: 'one', delay: { latency: '300ms', jitter: '50ms' },
      selector: { labelSelectors: { app: 'backend' } }, direction: 'to', target: { selector: { labelSelectors: { app: 'client' } } },
    });
    expect((await kubectlDriver.undo(undo!, context)).isOk).toBe(true);
    expect(chaos.has('chaosdeck-latency-backend')).toBe(false);
  });

  it('applies a raw Chaos Mesh experiment for the chaos verb', async () => {
    const context = createTestContext(options(mesh));
    const podChaos = action({ verb: 'chaos', kind: 'PodChaos', spec: { action: 'pod-failure' }, duration: '30s' });
    const undo = await kubectlDriver.prepareUndo(podChaos, context);
    expect((await kubectlDriver.apply(podChaos, context)).isOk).toBe(true);
    const stored = mesh.store.get('/apis/chaos-mesh.org/v1alpha1/namespaces/default/podchaos')!.get('chaosdeck-podchaos-backend');
    expect(stored?.spec).toMatchObject({ action: 'pod-failure', mode: 'one', duration: '30s' });
    await kubectlDriver.undo(undo!, context);
    expect(mesh.store.get('/apis/chaos-mesh.org/v1alpha1/namespaces/default/podchaos')!.size).toBe(0);
  });

  it('refuses cpu stress without Chaos Mesh with a message saying why', async () => {
    const context = createTestContext(options(plain));
    await expect(kubectlDriver.prepareUndo(action({ verb: 'cpu', percent: 80 }), context)).rejects.toThrow(/needs Chaos Mesh/);
  });

  it('watches pods with kubectl get -w and shows a deleted pod replaced', async () => {
    const context = createTestSourceContext(options(plain));
    const source = kubectlDriver.openSource!({ kind: 'status', from: 'kubectl', target: 'client' }, context)!;
    await waitFor(() => plain.requests.some((r) => r.includes('watch=true')), 10_000, 'watch request');
    await kubectlDriver.apply(action({ verb: 'kill', signal: 'SIGTERM' }), createTestContext(options(plain, { selector: 'app=client' })));
    const status = await waitFor(() => context.events.find((e) => e.type === 'status' && e.targets.some((t) => t.name.startsWith('client-r'))), 10_000, 'replacement pod');
    expect(status).toMatchObject({ source: 'kubectl:status:client', targets: [expect.objectContaining({ state: 'Running', isReady: true })] });
    await source.stop();
  });

  it('follows logs by selector with --prefix and reads resilience4j lines from them', async () => {
    mesh.log('client-aaaaa', 'started');
    const context = createTestSourceContext(options(mesh));
    const source = kubectlDriver.openSource!({ kind: 'logs', from: 'kubectl', target: 'client' }, context)!;
    await waitFor(() => context.events.some((e) => e.type === 'log.lines' && e.lines.some((l) => l.text.includes('started'))), 10_000, 'first line');
    mesh.log('client-aaaaa', "CircuitBreaker 'backendCB' changed state: CLOSED -> OPEN");
    mesh.log('client-aaaaa', "Retry 'backendRetry' - Attempt #3");
    const breaker = await waitFor(() => context.events.find((e) => e.type === 'breaker'), 10_000, 'breaker');
    expect(breaker).toMatchObject({ name: 'backendCB', state: 'OPEN' });
    const retry = await waitFor(() => context.events.find((e) => e.type === 'metric'), 10_000, 'retry');
    expect(retry).toMatchObject({ name: 'retry_attempt', value: 3, labels: { name: 'backendRetry' } });
    const lines = context.events.flatMap((e) => (e.type === 'log.lines' ? e.lines.map((l) => l.text) : []));
    expect(lines[0]).toMatch(/^\[pod\/client-aaaaa\/[^\]]+\] started$/);
    await source.stop();
  });

  it('doctor reports the client, the context, the server and Chaos Mesh', async () => {
    const runner = createTestSourceContext().runner;
    const checks = await kubectlDriver.doctor!({ kubeconfig: mesh.kubeconfig }, runner);
    expect(checks.map((c) => [c.name, c.isOk])).toEqual([['kubectl binary', true], ['kubectl context', true], ['Kubernetes API', true], ['Chaos Mesh', true]]);
    expect(checks[2]?.detail).toBe('server v1.30.0-fake');
    expect(checks[3]?.detail).toMatch(/^installed/);
    await mesh.close();
    const down = await kubectlDriver.doctor!({ kubeconfig: mesh.kubeconfig }, runner);
    expect(down.find((c) => c.name === 'Kubernetes API')).toMatchObject({ isOk: false, fix: expect.any(String) });
  });
});
