import { z } from 'zod';

// What a profile says about docker: the binding of a target to a container,
// and the `drivers.docker` block naming which daemon to talk to.

/** `targets.<name>` for docker: the container, plus how resource verbs act. */
export const DockerBindingSchema = z.looseObject({
  driver: z.string(),
  container: z.string().min(1),
  /** The container's network device for tc netem. */
  interface: z.string().default('eth0'),
  /** `limit`: cpu/memory lower the container's limits with docker update; `stress`: run stress-ng inside it. */
  resources: z.enum(['limit', 'stress']).default('limit'),
  /** Networks `heal` reconnects when no `to` is given. */
  networks: z.array(z.string()).optional(),
});
export type DockerBinding = z.infer<typeof DockerBindingSchema>;

/** `drivers.docker`: which docker to talk to. */
export const DockerConfigSchema = z.looseObject({
  binary: z.string().default('docker'),
  /** A docker context name (`docker --context`). */
  context: z.string().optional(),
  /** A daemon address (`docker --host`), e.g. unix:///var/run/docker.sock or ssh://user@host. */
  host: z.string().optional(),
  /** Seconds `docker stop` waits before killing. */
  stopTimeout: z.number().int().nonnegative().optional(),
});
export type DockerConfig = z.infer<typeof DockerConfigSchema>;

/** The `docker` argv prefix for a configuration: binary, context, host. */
export function dockerBase(config: DockerConfig): string[] {
  return [config.binary, ...(config.context ? ['--context', config.context] : []), ...(config.host ? ['--host', config.host] : [])];
}

