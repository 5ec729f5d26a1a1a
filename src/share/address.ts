import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

// Where the share server listens and which address the room should use. The
// default is loopback; anything else is said out loud, because the stream then
// reaches whoever is on the network and has the token.

/** A host and port to listen on. */
export interface BindAddress {
  readonly host: string;
  readonly port: number;
}

/** The default: this machine only. */
export const DEFAULT_BIND: BindAddress = { host: '127.0.0.1', port: 7777 };

/** Parses `HOST:PORT`, `HOST`, `:PORT`, `PORT` or `[v6]:PORT`; throws a message a presenter can act on. */
export function parseBind(text: string | undefined): BindAddress {
  if (text === undefined || text.trim() === '') return DEFAULT_BIND;
  const value = text.trim();
  let host: string;
  let port: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (v6) [host, port] = [v6[1]!, v6[2]];
  else if (isIP(value) === 6) host = value;
  else if (/^\d+$/.test(value)) [host, port] = [DEFAULT_BIND.host, value];
  else if (value.startsWith(':')) [host, port] = [DEFAULT_BIND.host, value.slice(1)];
  else {
    const colon = value.lastIndexOf(':');
    [host, port] = colon < 0 ? [value, undefined] : [value.slice(0, colon), value.slice(colon + 1)];
  }
  const portNumber = port === undefined ? DEFAULT_BIND.port : Number(port);
  if (!Number.isInteger(portNumber) || portNumber < 0 || portNumber > 65_535) throw new Error(`--bind ${text}: the port must be a number from 0 to 65535`);
  if (host === '' || /\s/.test(host)) throw new Error(`--bind ${text}: expected HOST:PORT, e.g. 0.0.0.0:7777`);
  return { host, port: portNumber };
}

/** Whether only this machine can reach the address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Whether the address means every interface. */
export function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** The address to put in the follow URL: a LAN address for a wildcard bind, else the host itself. */
export function publicHost(host: string, interfaces = networkInterfaces()): string {
  if (!isWildcard(host)) return host;
  for (const list of Object.values(interfaces)) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return '127.0.0.1';
}

/** `http://host:port/`, with brackets around an IPv6 host. */
export function baseUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}/`;
}
