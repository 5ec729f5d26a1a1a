import type { Driver, Source, SourceContext } from '../drivers/driver';
import type { SourceSpec } from '../scenario/environment';
import { DeckError } from '../engine/errors';
import { openAlertsSource } from './alerts';
import { openCommandSource } from './command';
import { openPrometheusSource } from './prometheus';
import { openProbeSource } from './probe';

// Source providers by the `from` name a profile writes. Drivers offer the
// rest (`from: kubectl`, `docker`, `ssh`, `oci`, `toxiproxy`, `lab`) through
// their openSource; pass the driver registry to route those too.

/** Opens one kind of live feed from a source spec. */
export type SourceProvider = (spec: SourceSpec, context: SourceContext) => Source;

/** Every provider that is not a driver, keyed by its `from` name. */
export const SOURCE_PROVIDERS = {
  prometheus: openPrometheusSource,
  probe: openProbeSource,
  alerts: openAlertsSource,
  command: openCommandSource,
} as const satisfies Record<string, SourceProvider>;

/** A `from` name served here rather than by a driver. */
export type SourceProviderName = keyof typeof SOURCE_PROVIDERS;

/** True when `from` names a provider in this registry. */
export function isSourceProvider(from: string): from is SourceProviderName {
  return Object.hasOwn(SOURCE_PROVIDERS, from);
}

/**
 * Opens a source: a provider here by `from`, else the driver of that name's
 * openSource when `drivers` is given. Throws UNSUPPORTED when nothing serves
 * `from` or the driver cannot offer this kind, and ENVIRONMENT_INVALID for a
 * spec its provider rejects.
 */
export function openSource(spec: SourceSpec, context: SourceContext, drivers?: ReadonlyMap<string, Driver>): Source {
  if (isSourceProvider(spec.from)) return SOURCE_PROVIDERS[spec.from](spec, context);
  const driver = drivers?.get(spec.from);
  if (!driver) {
    throw new DeckError('UNSUPPORTED', `no source provider named ${spec.from}; use one of ${[...Object.keys(SOURCE_PROVIDERS), ...(drivers?.keys() ?? [])].join(', ')}`);
  }
  const source = driver.openSource?.(spec, context) ?? null;
  if (!source) throw new DeckError('UNSUPPORTED', `the ${spec.from} driver cannot feed a ${spec.kind} source${spec.target ? ` for ${spec.target}` : ''}`);
  return source;
}
