import { stringify } from 'yaml';
import type { BlastRadius } from './kubectl-config';

// The manifests the kubectl driver applies: Chaos Mesh experiments where the
// cluster has Chaos Mesh, and a NetworkPolicy partition where it does not.
// Each carries a name derived from verb and target, so heal and restore can
// delete it by name, and a label marking it as chaosdeck's.

/** A Kubernetes object as a plain value. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace: string; labels: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

export const CHAOS_MESH_API = 'chaos-mesh.org/v1alpha1';
const OWNER_LABEL = { 'app.kubernetes.io/managed-by': 'chaosdeck' };

/** Renders a manifest as YAML for a file the audience can open. */
export function manifestYaml(manifest: Manifest): string {
  return stringify(manifest);
}

/** The resource name kubectl delete takes for a manifest's kind. */
export function resourceOf(manifest: Pick<Manifest, 'apiVersion' | 'kind'>): string {
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
  return group && group !== 'apps' ? `${manifest.kind.toLowerCase()}.${group}` : manifest.kind.toLowerCase();
}

/** Chaos Mesh's `mode`/`value` for a blast radius. */
export function chaosMeshMode(radius: BlastRadius): { mode: string; value?: string } {
  if (radius === 'one' || radius === 'all') return { mode: radius };
  if (typeof radius === 'number') return { mode: 'fixed', value: String(radius) };
  return { mode: 'fixed-percent', value: radius.slice(0, -1) };
}

/** A Chaos Mesh experiment of any kind around a given spec. */
export function chaosMeshManifest(kind: string, name: string, namespace: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: CHAOS_MESH_API, kind, metadata: { name, namespace, labels: { ...OWNER_LABEL } }, spec };
}

/** What a NetworkChaos does. */
export type NetworkFault =
  | { readonly action: 'delay'; readonly latencyMs: number; readonly jitterMs?: number }
  | { readonly action: 'loss'; readonly percent: number }
  | { readonly action: 'partition'; readonly direction: 'to' | 'from' | 'both' };

/** A NetworkChaos on the selected pods, optionally only towards a peer selector. */
export function networkChaos(options: {
  name: string; namespace: string; labels: Record<string, string>; radius: BlastRadius; fault: NetworkFault; peer?: Record<string, string>;
}): Manifest {
  const { fault } = options;
  const spec: Record<string, unknown> = {
    action: fault.action,
    ...chaosMeshMode(options.radius),
    selector: { namespaces: [options.namespace], labelSelectors: options.labels },
  };
  if (fault.action === 'delay') spec.delay = { latency: `${fault.latencyMs}ms`, ...(fault.jitterMs ? { jitter: `${fault.jitterMs}ms` } : {}), correlation: '0' };
  if (fault.action === 'loss') spec.loss = { loss: String(fault.percent), correlation: '0' };
  if (options.peer) {
    spec.direction = fault.action === 'partition' ? fault.direction : 'to';
    spec.target = { mode: 'all', selector: { namespaces: [options.namespace], labelSelectors: options.peer } };
  } else if (fault.action === 'partition') {
    spec.direction = fault.direction;
  }
  return chaosMeshManifest('NetworkChaos', options.name, options.namespace, spec);
}

/** A StressChaos burning CPU or holding memory in the selected pods. */
export function stressChaos(options: {
  name: string; namespace: string; labels: Record<string, string>; radius: BlastRadius;
  cpu?: { workers: number; load: number }; memoryMb?: number; duration?: string;
}): Manifest {
  const stressors: Record<string, unknown> = {};
  if (options.cpu) stressors.cpu = { workers: options.cpu.workers, load: options.cpu.load };
  if (options.memoryMb) stressors.memory = { workers: 1, size: `${options.memoryMb}MB` };
  return chaosMeshManifest('StressChaos', options.name, options.namespace, {
    ...chaosMeshMode(options.radius),
    selector: { namespaces: [options.namespace], labelSelectors: options.labels },
    stressors,
    ...(options.duration ? { duration: options.duration } : {}),
  });
}

/**
 * A NetworkPolicy that cuts the selected pods off. Policies only allow, so
 * "everything except the peer" is spelled as: pods in this namespace whose
 * labels differ from the peer's, every other namespace, and DNS. Without a
 * peer the pods are isolated completely. Traffic leaving the cluster is cut too.
 */
export function networkPolicyPartition(options: {
  name: string; namespace: string; labels: Record<string, string>; peer?: Record<string, string>; direction: 'both' | 'ingress' | 'egress';
}): Manifest {
  const types = options.direction === 'both' ? ['Ingress', 'Egress'] : [options.direction === 'ingress' ? 'Ingress' : 'Egress'];
  const spec: Record<string, unknown> = { podSelector: { matchLabels: options.labels }, policyTypes: types };
  if (options.peer) {
    const notPeer = { podSelector: { matchExpressions: Object.entries(options.peer).map(([key, value]) => ({ key, operator: 'NotIn', values: [value] })) } };
    const otherNamespaces = { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [options.namespace] }] } };
    if (types.includes('Egress')) {
      spec.egress = [{ to: [notPeer, otherNamespaces] }, { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }];
    }
    if (types.includes('Ingress')) spec.ingress = [{ from: [notPeer, otherNamespaces] }];
  }
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: options.name, namespace: options.namespace, labels: { ...OWNER_LABEL } }, spec };
}
