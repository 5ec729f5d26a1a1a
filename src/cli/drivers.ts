import { dockerDriver } from '../drivers/docker';
import { kubectlDriver } from '../drivers/kubectl';
import { labDriver } from '../drivers/lab';
import { ociDriver } from '../drivers/oci';
import { createRegistry, type DriverRegistry } from '../drivers/registry';
import { shellDriver } from '../drivers/shell';
import { sshDriver } from '../drivers/ssh';
import { toxiproxyDriver } from '../drivers/toxiproxy';

// Every driver chaosdeck ships, registered by name. The CLI layer is the one
// place that knows them all; the engine only sees a registry.

/** The full registry. */
export function allDrivers(): DriverRegistry {
  return createRegistry([shellDriver, labDriver, dockerDriver, kubectlDriver, ociDriver, sshDriver, toxiproxyDriver]);
}
