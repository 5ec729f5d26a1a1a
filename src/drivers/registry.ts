import { DeckError } from '../engine/errors';
import { didYouMean } from '../scenario/suggest';
import type { Driver } from './driver';
import { shellDriver } from './shell';

// Drivers by name. The engine, validate and doctor look drivers up here; a
// test can build a registry of its own.

/** A lookup of drivers by name. */
export type DriverRegistry = ReadonlyMap<string, Driver>;

/** Builds a registry from drivers. */
export function createRegistry(drivers: readonly Driver[]): DriverRegistry {
  return new Map(drivers.map((d) => [d.name, d]));
}

/** The driver named, or a DRIVER_UNKNOWN error with a did-you-mean. */
export function driverNamed(registry: DriverRegistry, name: string): Driver {
  const driver = registry.get(name);
  if (!driver) throw new DeckError('DRIVER_UNKNOWN', `unknown driver '${name}'${didYouMean(name, registry.keys())}; known: ${[...registry.keys()].join(', ')}`);
  return driver;
}

/** The driver actions without a target use. */
export const LOCAL_DRIVER = 'shell';

/** Every built-in driver. */
export function builtinDrivers(): DriverRegistry {
  return createRegistry([shellDriver]);
}
