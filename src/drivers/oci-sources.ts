import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { TargetStatus, UnstampedEvent } from '../engine/events';
import type { SourceSpec } from '../scenario/environment';
import type { DoctorCheck, Source, SourceContext } from './driver';
import type { CommandRunner } from './exec';
import { parseConfig } from './action-support';
import { AlarmStatusListSchema, BackendHealthSchema, InstanceSchema, MetricDataSchema, OciBindingSchema, OciConfigSchema, ociBase, ociError, parseOci, type OciConfig } from './oci-cli';
import { startPolling } from '../sources/poll';
import { sourceIdOf } from '../sources/source-id';

// What OCI feeds the deck, polled (the OCI APIs are rate limited): instance
// lifecycle and load-balancer backend health for the Status pane, Monitoring
// metrics (MQL through summarize-metrics-data), and alarm status.

const FieldsSchema = z.looseObject({
  /** Seconds between reads; OCI Monitoring allows about 10 alarm reads a second per tenancy, so keep this high. */
  interval: z.number().positive().default(10),
  /** `kind: metrics`: the Monitoring namespace and MQL query, e.g. oci_lbaas and `HttpResponses[1m].sum()`. */
  namespace: z.string().optional(),
  query: z.string().optional(),
  /** The metric name the deck shows; defaults to the query. */
  name: z.string().optional(),
  /** Minutes of history each metrics read asks for. */
  window: z.number().positive().default(5),
  compartment: z.string().optional(),
});

async function runJson<S extends z.ZodType>(runner: CommandRunner, argv: string[], schema: S, signal: AbortSignal): Promise<z.infer<S>> {
  const result = await runner.run({ argv, isReadOnly: true, timeoutMs: 60_000 }, { signal });
  const parsed = parseOci(schema, result.stdout);
  if (!result.isOk || !parsed) throw new Error(ociError(result.stderr) || `unexpected output from ${argv.slice(0, 4).join(' ')}`);
  return parsed;
}

async function readStatus(config: OciConfig, spec: SourceSpec, context: SourceContext, signal: AbortSignal): Promise<UnstampedEvent> {
  const targets: TargetStatus[] = [];
  const names = spec.target ? [spec.target] : Object.keys(context.environment.targets).filter((n) => context.environment.targets[n]?.driver === 'oci');
  for (const name of names) {
    const binding = OciBindingSchema.safeParse(context.environment.targets[name]);
    if (!binding.success) continue;
    const { instance, loadBalancer, backendSet, backend } = binding.data;
    if (instance) {
      const answer = await runJson(context.runner, [...ociBase(config), 'compute', 'instance', 'get', '--instance-id', instance], InstanceSchema, signal);
      const state = answer.data['lifecycle-state'];
      targets.push({ name, state, isReady: state === 'RUNNING', restarts: 0, ...(answer.data['display-name'] ? { detail: answer.data['display-name'] } : {}) });
    }
    if (loadBalancer && backendSet && backend) {
      const health = await runJson(context.runner, [...ociBase(config), 'lb', 'backend-health', 'get', '--load-balancer-id', loadBalancer, '--backend-set-name', backendSet, '--backend-name', backend], BackendHealthSchema, signal);
      const checks = health.data['health-check-results'].map((r) => r['health-check-status']).filter(Boolean).slice(0, 3).join(', ');
      targets.push({ name: `${name} backend ${backend}`, state: health.data.status, isReady: health.data.status === 'OK', restarts: 0, ...(checks ? { detail: checks } : {}) });
    }
  }
  return { type: 'status', source: sourceIdOf(spec), targets };
}

/** Reads OCI alarm status as `alert` events (FIRING → firing, OK → ok, SUSPENDED → inactive). */
export function openOciAlarms(spec: SourceSpec, context: SourceContext): Source {
  const config = parseConfig(OciConfigSchema, context.config, 'oci');
  const fields = FieldsSchema.parse(spec);
  const compartment = fields.compartment ?? config.compartment;
  if (!compartment) throw new Error('OCI alarm status needs a compartment: set drivers.oci.compartment or `compartment` on the source');
  const id = sourceIdOf(spec);
  return startPolling({
    id, intervalMs: fields.interval * 1000, signal: context.signal, emit: context.emit,
    read: async (signal) => {
      const answer = await runJson(context.runner, [...ociBase(config), 'monitoring', 'alarm-status', 'list-alarms-status', '--compartment-id', compartment, '--all'], AlarmStatusListSchema, signal);
      for (const alarm of answer.data) {
        const state = alarm.status === 'FIRING' ? 'firing' : alarm.status === 'OK' ? 'ok' : 'inactive';
        context.emit({ type: 'alert', source: id, name: alarm['display-name'], state, ...(alarm.severity ? { summary: alarm.severity } : {}) });
      }
    },
  });
}

function openMetrics(config: OciConfig, spec: SourceSpec, context: SourceContext): Source {
  const fields = FieldsSchema.parse(spec);
  const compartment = fields.compartment ?? config.compartment;
  if (!compartment || !fields.namespace || !fields.query) throw new Error('an OCI metrics source needs `namespace`, `query` and a compartment');
  const id = sourceIdOf(spec);
  return startPolling({
    id, intervalMs: fields.interval * 1000, signal: context.signal, emit: context.emit,
    read: async (signal) => {
      const end = new Date();
      const start = new Date(end.getTime() - fields.window * 60_000);
      const answer = await runJson(context.runner, [
        ...ociBase(config), 'monitoring', 'metric-data', 'summarize-metrics-data', '--compartment-id', compartment,
        '--namespace', fields.namespace!, '--query-text', fields.query!, '--start-time', start.toISOString(), '--end-time', end.toISOString(),
      ], MetricDataSchema, signal);
      for (const series of answer.data) {
        const last = series['aggregated-datapoints'].at(-1);
        if (last) context.emit({ type: 'metric', source: id, name: fields.name ?? series.name, value: last.value, labels: series.dimensions });
      }
    },
  });
}

/** Starts an OCI source: `kind: status`, `metrics` or `alerts`. */
export function ociOpenSource(spec: SourceSpec, context: SourceContext): Source | null {
  const config = parseConfig(OciConfigSchema, context.config, 'oci');
  if (spec.kind === 'alerts') return openOciAlarms(spec, context);
  if (spec.kind === 'metrics') return openMetrics(config, spec, context);
  if (spec.kind !== 'status') return null;
  const fields = FieldsSchema.parse(spec);
  return startPolling({
    id: sourceIdOf(spec), intervalMs: fields.interval * 1000, signal: context.signal, emit: context.emit,
    read: async (signal) => context.emit(await readStatus(config, spec, context, signal)),
  });
}

/** Checks the oci binary, its configuration file, and that the tenancy answers (`oci os ns get`). */
export async function ociDoctor(raw: Readonly<Record<string, unknown>>, runner: CommandRunner): Promise<DoctorCheck[]> {
  const config = parseConfig(OciConfigSchema, raw, 'oci');
  const version = await runner.run({ argv: [config.binary, '--version'], isReadOnly: true, timeoutMs: 30_000 });
  if (version.spawnError) return [{ name: 'oci binary', isOk: false, detail: `${config.binary} not found`, fix: 'install the OCI CLI: https://docs.oracle.com/iaas/Content/API/SDKDocs/cliinstall.htm' }];
  const checks: DoctorCheck[] = [{ name: 'oci binary', isOk: version.isOk, detail: `oci ${version.stdout.trim()}` }];
  const file = config.configFile ?? process.env.OCI_CLI_CONFIG_FILE ?? join(homedir(), '.oci', 'config');
  const hasFile = existsSync(file);
  checks.push({ name: 'oci config', isOk: hasFile || Boolean(config.auth), detail: hasFile ? `${file}${config.profile ? `, profile ${config.profile}` : ''}` : config.auth ? `--auth ${config.auth}` : `${file} missing`, fix: 'run oci setup config, or set drivers.oci.auth (instance_principal on an OCI host)' });
  const namespace = await runner.run({ argv: [...ociBase(config), 'os', 'ns', 'get'], isReadOnly: true, timeoutMs: 30_000 });
  checks.push(namespace.isOk
    ? { name: 'OCI API', isOk: true, detail: `tenancy answers (namespace ${/"data":\s*"([^"]+)"/.exec(namespace.stdout)?.[1] ?? '?'})${config.region ? ` in ${config.region}` : ''}` }
    : { name: 'OCI API', isOk: false, detail: ociError(namespace.stderr) || 'no answer', fix: 'check the API key, the region and the network: oci os ns get --debug' });
  if (!config.compartment) checks.push({ name: 'oci compartment', isOk: false, detail: 'not set: alarm status and metrics cannot be read', fix: 'set drivers.oci.compartment to a compartment OCID' });
  return checks;
}
