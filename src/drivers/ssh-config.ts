import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

// What a profile says about ssh: a target is a host (and usually a systemd
// unit); `drivers.ssh` holds user, keys, known_hosts, pinned fingerprints,
// named hosts and the jump host.

const HostEntrySchema = z.strictObject({
  host: z.string().optional(),
  port: z.number().int().positive().optional(),
  user: z.string().optional(),
  /** A pinned host key fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints it); trusted when known_hosts has no key for the host. */
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]+$/).optional(),
  identityFile: z.string().optional(),
  /** Another host entry (or user@host:port) to hop through. */
  via: z.string().optional(),
});
export type HostEntry = z.infer<typeof HostEntrySchema>;

/** `targets.<name>` for ssh. */
export const SshBindingSchema = z.looseObject({
  driver: z.string(),
  /** A hostname or address, or the name of an entry in `drivers.ssh.hosts`. */
  host: z.string().min(1),
  port: z.number().int().positive().optional(),
  user: z.string().optional(),
  /** The systemd unit for stop/start/restart/kill, the env drop-in and journalctl. */
  unit: z.string().optional(),
  /** The network device for tc netem; detected from the default route when absent. */
  interface: z.string().optional(),
  /** `netem`: latency with tc; `env`: latency and errors through CHAOS_* variables in a systemd drop-in (BharatMart). */
  injectVia: z.enum(['netem', 'env']).default('netem'),
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]+$/).optional(),
  via: z.string().optional(),
});
export type SshBinding = z.infer<typeof SshBindingSchema>;

/** `drivers.ssh`. */
export const SshConfigSchema = z.looseObject({
  user: z.string().optional(),
  port: z.number().int().positive().default(22),
  identityFile: z.string().optional(),
  /** The ssh-agent socket; defaults to SSH_AUTH_SOCK. */
  agent: z.string().optional(),
  /** The name of an environment variable holding a password (never the password itself). */
  passwordEnv: z.string().optional(),
  passphraseEnv: z.string().optional(),
  knownHosts: z.array(z.string()).default([join(homedir(), '.ssh', 'known_hosts')]),
  hosts: z.record(z.string(), HostEntrySchema).default({}),
  /** A jump host for every target (`user@host:port` or a `hosts` entry). */
  via: z.string().optional(),
  /** Prefix privileged commands with `sudo -n`; defaults to true unless the user is root. */
  sudo: z.boolean().optional(),
  /** `ask` lets the presenter accept an unknown host key for this session; `never` refuses it. */
  unknownHosts: z.enum(['ask', 'never']).default('ask'),
  dropInDirectory: z.string().default('/etc/systemd/system'),
  readyTimeoutMs: z.number().int().positive().default(15_000),
  commandTimeoutMs: z.number().int().positive().default(60_000),
});
export type SshConfig = z.infer<typeof SshConfigSchema>;

/** One host to connect to, with everything resolved. */
export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly fingerprint?: string;
  readonly identityFile?: string;
  readonly via?: SshEndpoint;
}

/** Resolves a host reference (a `hosts` entry, `user@host:port`, or a bare host) against the configuration. */
export function resolveEndpoint(reference: string, config: SshConfig, overrides: Partial<HostEntry> = {}, depth = 0): SshEndpoint {
  const entry = config.hosts[reference] ?? {};
  const parsed = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.host ?? reference);
  const host = (parsed?.[2] ?? reference).replace(/^\[|\]$/g, '');
  const user = overrides.user ?? entry.user ?? parsed?.[1] ?? config.user ?? process.env.USER ?? 'root';
  const port = overrides.port ?? entry.port ?? (parsed?.[3] ? Number(parsed[3]) : config.port);
  const via = overrides.via ?? entry.via ?? (depth === 0 ? config.via : undefined);
  if (via && depth > 3) throw new Error(`ssh jump hosts nest too deeply at ${reference}`);
  const fingerprint = overrides.fingerprint ?? entry.fingerprint;
  const identityFile = entry.identityFile ?? config.identityFile;
  return {
    host, port, user,
    ...(fingerprint ? { fingerprint } : {}),
    ...(identityFile ? { identityFile } : {}),
    ...(via ? { via: resolveEndpoint(via, config, {}, depth + 1) } : {}),
  };
}

/** The OpenSSH command line equivalent to a remote command, as shown to the audience. */
export function sshDisplayPrefix(endpoint: SshEndpoint): string {
  const jump = endpoint.via ? `-J ${endpoint.via.user}@${endpoint.via.host}${endpoint.via.port === 22 ? '' : `:${endpoint.via.port}`} ` : '';
  const port = endpoint.port === 22 ? '' : `-p ${endpoint.port} `;
  return `ssh ${jump}${port}${endpoint.user}@${endpoint.host} --`;
}
