// The shape of the shop: which services exist, what each depends on, and which
// links run through the fault proxy. The supervisor, the client and the driver
// all read this one table, so a name means the same thing everywhere.

/** Every service the lab runs, in dependency order. */
export const SERVICE_NAMES = ['proxy', 'db', 'cache', 'backend', 'collector', 'api-1', 'api-2', 'edge'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** What a service is; api-1 and api-2 are two instances of one kind. */
export type ServiceKind = 'proxy' | 'db' | 'cache' | 'backend' | 'collector' | 'api' | 'edge';

/** How the supervisor treats a service's exit (Docker's and Kubernetes' vocabulary). */
export type RestartPolicy = 'always' | 'on-failure' | 'never';

/** The static description of one service. */
export interface ServiceSpec {
  readonly name: ServiceName;
  readonly kind: ServiceKind;
  /** Services that must be healthy before this one starts. */
  readonly dependsOn: readonly ServiceName[];
  /** Whether the service speaks a line protocol on a second port (cache, db). */
  readonly hasDataPort: boolean;
  readonly restartPolicy: RestartPolicy;
  /** The resident-memory limit; crossing it ends in an out-of-memory kill. */
  readonly memoryLimitMb: number;
}

const spec = (name: ServiceName, kind: ServiceKind, dependsOn: ServiceName[], hasDataPort = false): ServiceSpec => ({
  name, kind, dependsOn, hasDataPort, restartPolicy: 'always', memoryLimitMb: 256,
});

/** The services, in the order the supervisor starts them. */
export const SERVICES: readonly ServiceSpec[] = [
  spec('proxy', 'proxy', []),
  spec('db', 'db', [], true),
  spec('cache', 'cache', [], true),
  spec('backend', 'backend', []),
  spec('collector', 'collector', []),
  spec('api-1', 'api', ['proxy', 'db', 'cache', 'backend']),
  spec('api-2', 'api', ['proxy', 'db', 'cache', 'backend']),
  spec('edge', 'edge', ['proxy', 'api-1', 'api-2']),
];

/** Names that stand for several services at once (`api` is both instances). */
export const SERVICE_GROUPS: Readonly<Record<string, readonly ServiceName[]>> = {
  api: ['api-1', 'api-2'],
};

/**
 * The links through the fault proxy, named like Toxiproxy proxies after the
 * service they lead to. Each one carries the callers' traffic to `to`: its
 * HTTP port, or its data port for cache and db.
 */
export const LINKS = [
  { name: 'api-1', to: 'api-1', port: 'http' },
  { name: 'api-2', to: 'api-2', port: 'http' },
  { name: 'backend', to: 'backend', port: 'http' },
  { name: 'cache', to: 'cache', port: 'data' },
  { name: 'db', to: 'db', port: 'data' },
  { name: 'collector', to: 'collector', port: 'http' },
] as const satisfies readonly { name: string; to: ServiceName; port: 'http' | 'data' }[];
export type LinkName = (typeof LINKS)[number]['name'];

/** True when `name` is one of the lab's services. */
export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

/** The services a name stands for: itself, or a group's members; empty when unknown. */
export function resolveServices(name: string): readonly ServiceName[] {
  if (isServiceName(name)) return [name];
  return SERVICE_GROUPS[name] ?? [];
}

/** The spec of a service. */
export function specOf(name: ServiceName): ServiceSpec {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) throw new TypeError(`unknown lab service ${name}`);
  return found;
}

/** A host and port on loopback. */
export interface Address {
  readonly host: string;
  readonly port: number;
}

/**
 * What a service process is told at start (JSON in CHAOSDECK_LAB_SERVICE):
 * its ports and where its dependencies are (always through the fault proxy).
 */
export interface ServiceRuntimeConfig {
  readonly name: ServiceName;
  readonly kind: ServiceKind;
  readonly httpPort: number;
  readonly dataPort?: number;
  /** For api and edge: the proxy address of each dependency, by link name. */
  readonly links: Readonly<Partial<Record<LinkName, Address>>>;
  /** For the proxy service: the proxies to create at start, Toxiproxy-style. */
  readonly proxies?: readonly { name: string; listen: string; upstream: string }[];
}

/** The environment variable carrying a service's runtime configuration. */
export const SERVICE_CONFIG_ENV = 'CHAOSDECK_LAB_SERVICE';
