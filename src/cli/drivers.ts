import { dockerDriver } from '../drivers/docker';
import { kubectlDriver } from '../drivers/kubectl';
import { labDriver } from '../drivers/lab';
import { createRegistry, type DriverRegistry } from '../drivers/registry';
import { shellDriver } from '../drivers/shell';

// Every driver chaosdeck ships, registered by name. The CLI layer is the one
// place that knows them all; the engine only sees a registry.

/** The full registry. */
export function allDrivers(): DriverRegistry {
  return createRegistry([shellDriver, dockerDriver, kubectlDriver, labDriver]);
}
