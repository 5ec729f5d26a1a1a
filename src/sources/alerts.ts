import { z } from 'zod';
import type { Source, SourceContext } from '../drivers/driver';
import type { SourceSpec } from '../scenario/environment';
import { httpCall } from '../drivers/http-request';
import { openOciAlarms } from '../drivers/oci-sources';
import { startPolling } from './poll';
import { listPrometheusAlerts } from './promql';
import { sourceIdOf } from './source-id';

// `from: alerts`: what is firing, for the deck's alert strip and for checks
// such as "HighCacheMissRate firing within 5 min". Reads Prometheus's
// /api/v1/alerts, Alertmanager's /api/v2/alerts, or OCI alarm status. An
// alert that stops being reported is emitted once as inactive.

export const AlertsSourceSchema = z.looseObject({
  url: z.string().url().optional(),
  /** Which API `url` is; `oci` reads alarm status through the OCI CLI instead. */
  api: z.enum(['prometheus', 'alertmanager', 'oci']).default('prometheus'),
  /** Alert names to show as inactive until they fire. */
  expect: z.array(z.string()).default([]),
  interval: z.number().positive().default(5),
  timeoutMs: z.number().int().positive().default(5_000),
});

const AlertmanagerAlerts = z.array(z.looseObject({
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).default({}),
  status: z.looseObject({ state: z.string() }),
}));

interface Seen { readonly name: string; readonly state: 'firing' | 'pending' | 'inactive'; readonly summary?: string }

async function readAlertmanager(url: string, signal: AbortSignal, timeoutMs: number): Promise<Seen[]> {
  const result = await httpCall({ url: `${url.replace(/\/$/, '')}/api/v2/alerts`, signal, timeoutMs });
  const alerts = AlertmanagerAlerts.safeParse(result.body);
  if (!alerts.success) throw new Error(`${url}/api/v2/alerts: HTTP ${result.status}, not an Alertmanager answer`);
  return alerts.data.map((a) => ({
    name: a.labels.alertname ?? '?',
    state: a.status.state === 'active' ? 'firing' : a.status.state === 'suppressed' ? 'inactive' : 'pending',
    ...(a.annotations.summary ? { summary: a.annotations.summary } : {}),
  }));
}

/** Opens an alerts source. */
export function openAlertsSource(spec: SourceSpec, context: SourceContext): Source {
  const fields = AlertsSourceSchema.parse({ ...context.config, ...spec });
  if (fields.api === 'oci') {
    const oci = context.environment.drivers.oci ?? {};
    return openOciAlarms(spec, { ...context, config: oci });
  }
  if (!fields.url) throw new Error(`source ${sourceIdOf(spec)}: alerts need \`url\` (Prometheus or Alertmanager)`);
  const url = fields.url;
  const id = sourceIdOf(spec);
  const previous = new Map<string, string>(fields.expect.map((name) => [name, '']));
  return startPolling({
    id, intervalMs: fields.interval * 1000, signal: context.signal, emit: context.emit,
    read: async (signal) => {
      const seen: Seen[] = fields.api === 'alertmanager'
        ? await readAlertmanager(url, signal, fields.timeoutMs)
        : (await listPrometheusAlerts(url, { signal, timeoutMs: fields.timeoutMs })).map((a) => ({
          name: a.labels.alertname ?? '?',
          state: a.state === 'firing' ? 'firing' : a.state === 'pending' ? 'pending' : 'inactive',
          ...(a.annotations.summary ? { summary: a.annotations.summary } : {}),
        }));
      const current = new Map<string, Seen>();
      for (const alert of seen) if (!current.has(alert.name) || alert.state === 'firing') current.set(alert.name, alert);
      for (const alert of current.values()) {
        if (previous.get(alert.name) === alert.state) continue;
        context.emit({ type: 'alert', source: id, name: alert.name, state: alert.state, ...(alert.summary ? { summary: alert.summary } : {}) });
        previous.set(alert.name, alert.state);
      }
      for (const [name, state] of previous) {
        if (current.has(name) || state === 'inactive') continue;
        context.emit({ type: 'alert', source: id, name, state: 'inactive' });
        previous.set(name, 'inactive');
      }
    },
  });
}
