import { z } from 'zod';

// The OCI CLI as the deck calls it: the argv prefix from the profile, and
// zod schemas for the JSON answers it reads (kebab-case keys under `data`,
// as every `oci` command prints them).

/** `drivers.oci`. */
export const OciConfigSchema = z.looseObject({
  binary: z.string().default('oci'),
  /** A profile in the OCI config file (`--profile`). */
  profile: z.string().optional(),
  region: z.string().optional(),
  /** The compartment OCID for alarm status and metrics. */
  compartment: z.string().optional(),
  configFile: z.string().optional(),
  /** `--auth` (api_key, instance_principal, security_token, …). */
  auth: z.string().optional(),
  /** How long `--wait-for-state` may wait. */
  maxWaitSeconds: z.number().int().positive().default(600),
});
export type OciConfig = z.infer<typeof OciConfigSchema>;

/** `targets.<name>` for oci: an instance, and/or a load-balancer backend. */
export const OciBindingSchema = z.looseObject({
  driver: z.string(),
  instance: z.string().startsWith('ocid1.').optional(),
  loadBalancer: z.string().startsWith('ocid1.').optional(),
  backendSet: z.string().optional(),
  /** The backend's name, `ip:port`. */
  backend: z.string().optional(),
});
export type OciBinding = z.infer<typeof OciBindingSchema>;

/** The `oci` argv prefix: binary, config file, profile, region, auth. */
export function ociBase(config: OciConfig): string[] {
  return [
    config.binary,
    ...(config.configFile ? ['--config-file', config.configFile] : []),
    ...(config.profile ? ['--profile', config.profile] : []),
    ...(config.region ? ['--region', config.region] : []),
    ...(config.auth ? ['--auth', config.auth] : []),
  ];
}

export const InstanceSchema = z.looseObject({
  data: z.looseObject({ id: z.string(), 'display-name': z.string().optional(), 'lifecycle-state': z.string() }),
});

export const BackendSchema = z.looseObject({
  data: z.looseObject({ name: z.string(), drain: z.boolean(), weight: z.number().int(), backup: z.boolean(), offline: z.boolean() }),
});

export const BackendHealthSchema = z.looseObject({
  data: z.looseObject({
    status: z.string(),
    'health-check-results': z.array(z.looseObject({ 'health-check-status': z.string().optional(), timestamp: z.string().optional() })).default([]),
  }),
});

export const AlarmStatusListSchema = z.looseObject({
  data: z.array(z.looseObject({ 'display-name': z.string(), id: z.string(), status: z.string(), severity: z.string().optional() })).default([]),
});

export const MetricDataSchema = z.looseObject({
  data: z.array(z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    dimensions: z.record(z.string(), z.string()).default({}),
    'aggregated-datapoints': z.array(z.looseObject({ timestamp: z.string(), value: z.number() })).default([]),
  })).default([]),
});

/** Parses an `oci` answer with a schema; null when it is not JSON of that shape. */
export function parseOci<S extends z.ZodType>(schema: S, stdout: string): z.infer<S> | null {
  const start = stdout.indexOf('{');
  if (start < 0) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(stdout.slice(start)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The message of an OCI ServiceError printed on stderr, or its last line. */
export function ociError(stderr: string): string {
  const message = /"message":\s*"([^"]+)"/.exec(stderr)?.[1];
  const code = /"code":\s*"([^"]+)"/.exec(stderr)?.[1];
  return message ? `${code ? `${code}: ` : ''}${message}` : stderr.trim().split('\n').pop() ?? '';
}
