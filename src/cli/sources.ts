import type { Source } from '../drivers/driver';
import type { CommandRunner } from '../drivers/exec';
import type { DriverRegistry } from '../drivers/registry';
import type { UnstampedEvent } from '../engine/events';
import type { Environment } from '../scenario/environment';
import { openSource } from '../sources/registry';

// Opens the live sources an environment names: a driver's own (lab, kubectl,
// docker, ssh) when `from` names a driver, else a standalone provider
// (prometheus, probe, alerts, command).

/** What opening sources needs. */
export interface SourceWiring {
  readonly runner: CommandRunner;
  readonly signal: AbortSignal;
  emit(event: UnstampedEvent): void;
  onError(text: string): void;
}

/** Opens every source it can; a source that cannot open becomes a warning, never a failed run. */
export function openEnvironmentSources(environment: Environment, registry: DriverRegistry, wiring: SourceWiring): Source[] {
  const out: Source[] = [];
  for (const spec of environment.sources) {
    const binding = spec.target ? environment.targets[spec.target] ?? null : null;
    const context = { environment, config: environment.drivers[spec.from] ?? {}, binding, runner: wiring.runner, signal: wiring.signal, emit: wiring.emit };
    try {
      out.push(openSource(spec, context, registry));
    } catch (error) {
      wiring.onError(`${spec.kind} source from '${spec.from}' did not open: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return out;
}
