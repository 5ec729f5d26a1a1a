import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';

// Host-key verification the way OpenSSH does it: a key of the same type
// recorded in known_hosts for this host must match exactly; a different one
// is a mismatch and is refused. Hashed entries (HashKnownHosts), `[host]:port`
// entries, wildcards and `@revoked` markers are understood.

/** What known_hosts says about a presented key. */
export type HostKeyVerdict =
  | { readonly kind: 'match'; readonly line: number }
  | { readonly kind: 'mismatch'; readonly line: number; readonly expected: string }
  | { readonly kind: 'revoked'; readonly line: number }
  | { readonly kind: 'unknown' };

interface Entry { readonly line: number; readonly marker: string | null; readonly patterns: string; readonly type: string; readonly blob: Buffer }

/** OpenSSH's fingerprint of a public key blob: `SHA256:` and unpadded base64. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return '';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
export function hostTokenOf(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function parseEntries(text: string): Entry[] {
  const entries: Entry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift()! : null;
    const [patterns, type, key] = fields;
    if (!patterns || !type || !key) return;
    entries.push({ line: index + 1, marker, patterns, type, blob: Buffer.from(key, 'base64') });
  });
  return entries;
}

function wildcardMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(value);
}

function patternsMatch(patterns: string, token: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt, hash] = patterns.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64') === hash;
  }
  let isMatched = false;
  for (const pattern of patterns.split(',')) {
    if (pattern.startsWith('!')) {
      if (wildcardMatch(pattern.slice(1), token)) return false;
    } else if (wildcardMatch(pattern, token)) {
      isMatched = true;
    }
  }
  return isMatched;
}

/** Checks a presented key against known_hosts text for `host:port`. */
export function checkKnownHosts(text: string, host: string, port: number, blob: Buffer): HostKeyVerdict {
  const token = hostTokenOf(host, port);
  const type = keyTypeOf(blob);
  const entries = parseEntries(text).filter((e) => patternsMatch(e.patterns, token));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.blob.equals(blob));
  if (revoked) return { kind: 'revoked', line: revoked.line };
  const sameType = entries.filter((e) => e.marker === null && e.type === type);
  const match = sameType.find((e) => e.blob.equals(blob));
  if (match) return { kind: 'match', line: match.line };
  const first = sameType[0];
  if (first) return { kind: 'mismatch', line: first.line, expected: fingerprintOf(first.blob) };
  return { kind: 'unknown' };
}

/** Reads known_hosts files; a missing file counts as empty. */
export async function readKnownHosts(paths: readonly string[]): Promise<string> {
  const texts = await Promise.all(paths.map((path) => readFile(path, 'utf8').catch(() => '')));
  return texts.join('\n');
}
