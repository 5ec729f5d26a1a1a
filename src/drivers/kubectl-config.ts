import { z } from 'zod';

// What a profile says about Kubernetes: a target is a label selector (and
// optionally the deployment behind it); `drivers.kubectl` names the context,
// namespace and kubeconfig, and whether to use Chaos Mesh.

/** How many of the selected pods a pod-level fault hits: `one`, `all`, a count, or a percentage such as `50%`. */
export const BlastRadiusSchema = z.union([z.enum(['one', 'all']), z.string().regex(/^\d{1,3}%$/, 'a percentage such as 50%'), z.number().int().positive()]);
export type BlastRadius = z.infer<typeof BlastRadiusSchema>;

/** `targets.<name>` for kubectl. */
export const KubectlBindingSchema = z.looseObject({
  driver: z.string(),
  /** A label selector, `app=backend-service` or `app=x,tier=y`. */
  selector: z.string().min(1),
  /** The deployment for scale, stop/start (scale to 0 and back) and rollout restart. */
  deployment: z.string().optional(),
  /** Overrides `drivers.kubectl.namespace` for this target. */
  namespace: z.string().optional(),
  /** The container for exec and tc. */
  container: z.string().optional(),
  /** How many pods kill/stop/latency hit. */
  blastRadius: BlastRadiusSchema.default('one'),
  /** Replicas `start` scales a deployment to when no earlier stop recorded them. */
  replicas: z.number().int().positive().default(1),
  /** The pods' network device for tc when Chaos Mesh is absent. */
  interface: z.string().default('eth0'),
});
export type KubectlBinding = z.infer<typeof KubectlBindingSchema>;

/** `drivers.kubectl`. */
export const KubectlConfigSchema = z.looseObject({
  binary: z.string().default('kubectl'),
  context: z.string().optional(),
  namespace: z.string().optional(),
  kubeconfig: z.string().optional(),
  /** `auto` uses Chaos Mesh when `kubectl api-resources` lists its kinds. */
  chaosMesh: z.enum(['auto', 'always', 'never']).default('auto'),
  /** `false` adds --validate=false to apply (for API servers that serve no OpenAPI). */
  validate: z.boolean().default(true),
  maxLogRequests: z.number().int().positive().default(10),
});
export type KubectlConfig = z.infer<typeof KubectlConfigSchema>;

/** The `kubectl` argv prefix: binary, kubeconfig, context, namespace. */
export function kubectlBase(config: KubectlConfig, namespace?: string): string[] {
  const ns = namespace ?? config.namespace;
  return [
    config.binary,
    ...(config.kubeconfig ? ['--kubeconfig', config.kubeconfig] : []),
    ...(config.context ? ['--context', config.context] : []),
    ...(ns ? ['--namespace', ns] : []),
  ];
}

/** Parses `app=x,tier=y` into labels; set-based selectors are not turned into manifests. */
export function parseSelector(selector: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const term of selector.split(',')) {
    const match = /^\s*([A-Za-z0-9._/-]+)\s*==?\s*([A-Za-z0-9._-]*)\s*$/.exec(term);
    if (!match) throw new Error(`selector ${selector} is not a list of key=value labels`);
    labels[match[1]!] = match[2]!;
  }
  return labels;
}
