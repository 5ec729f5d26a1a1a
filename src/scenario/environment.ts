import { z } from 'zod';

// An environment profile: where a scenario runs. It binds each logical target
// to a driver and a resource, configures the drivers, and names the sources of
// logs, status and metrics. The same scenario runs on the lab and on a
// trainer's cloud by swapping this file.

/**
 * A target binding: the driver's name plus the driver's own fields
 * (`service`, `container`, `selector`, `instance`, `host`, `unit`, …),
 * which the driver validates with its own schema.
 */
export const BindingSchema = z.looseObject({ driver: z.string() });
export type Binding = z.infer<typeof BindingSchema>;

/**
 * A live source: which kind of pane it feeds and which provider reads it
 * (`lab`, `kubectl`, `docker`, `ssh`, `prometheus`, `probe`, `command`,
 * `alerts`, `oci`), with the provider's own fields.
 */
export const SourceSpecSchema = z.looseObject({
  id: z.string().optional(),
  kind: z.enum(['logs', 'status', 'latency', 'breakers', 'metrics', 'alerts', 'command']),
  from: z.string(),
  /** Logical target this source watches, when it watches one. */
  target: z.string().optional(),
});
export type SourceSpec = z.infer<typeof SourceSpecSchema>;

export const EnvironmentSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  /** A real environment asks before destructive steps; the lab does not. */
  isReal: z.boolean().default(true),
  /** Per-driver configuration: kubectl context and namespace, OCI profile and region, ssh hosts, … */
  drivers: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  targets: z.record(z.string(), BindingSchema).default({}),
  sources: z.array(SourceSpecSchema).default([]),
  /** Environment variable names whose values are secrets, redacted everywhere. */
  secrets: z.array(z.string()).default([]),
  /** Template values for `{{ name }}` substitution in actions. */
  vars: z.record(z.string(), z.string()).default({}),
});
export type Environment = z.infer<typeof EnvironmentSchema>;
