import net from 'node:net';

// Ports are chosen once, when the lab starts, and kept for its life: a
// restarted service comes back on the same port, so the fault proxy's
// upstreams and the URLs printed by `lab up` stay true.

/** Reserves `count` distinct free ports on 127.0.0.1 (by binding port 0 and releasing). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}
