import { describe, expect, it } from 'vitest';
import { baseUrl, isLoopback, parseBind, publicHost } from '../../src/share/address';
import { parseFollowUrl } from '../../src/share/follower';
import { shareInfoLines } from '../../src/share/share-info';

// Where a share listens and what the room is told: loopback by default, a LAN
// address in the URL when bound to every interface, and a warning otherwise.

describe('share addresses', () => {
  it.each([
    [undefined, { host: '127.0.0.1', port: 7777 }],
    ['0.0.0.0:8080', { host: '0.0.0.0', port: 8080 }],
    ['9000', { host: '127.0.0.1', port: 9000 }],
    [':0', { host: '127.0.0.1', port: 0 }],
    ['192.168.1.5', { host: '192.168.1.5', port: 7777 }],
    ['[::1]:7000', { host: '::1', port: 7000 }],
    ['::', { host: '::', port: 7777 }],
  ])('parses --bind %s', (text, expected) => {
    expect(parseBind(text)).toEqual(expected);
  });

  it.each(['host:port', '0.0.0.0:70000', 'a b:1'])('refuses --bind %s with a hint', (text) => {
    expect(() => parseBind(text)).toThrow(/--bind/);
  });

  it('knows loopback, and shows a LAN address for a wildcard bind', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    const interfaces = {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [{ address: 'fe80::1', family: 'IPv6', internal: false }, { address: '192.168.1.20', family: 'IPv4', internal: false }],
    } as unknown as Parameters<typeof publicHost>[1];
    expect(publicHost('0.0.0.0', interfaces)).toBe('192.168.1.20');
    expect(publicHost('10.0.0.2', interfaces)).toBe('10.0.0.2');
    expect(baseUrl('::1', 80)).toBe('http://[::1]:80/');
  });

  it('reads the token out of a follow URL', () => {
    expect(parseFollowUrl('http://10.0.0.2:7777/?token=abc')).toEqual({ base: 'http://10.0.0.2:7777/', token: 'abc' });
    expect(parseFollowUrl('10.0.0.2:7777')).toEqual({ base: 'http://10.0.0.2:7777/', token: null });
    expect(() => parseFollowUrl('ftp://x/')).toThrow(/http/);
  });

  it('prints the URL and token the issue asks for', () => {
    const lines = shareInfoLines({ url: 'http://h:1/?token=T', token: 'T', presenterToken: 'P', notesCommand: 'chaosdeck follow http://h:1/ --notes --token P', bind: '127.0.0.1:1', isLoopback: true, qr: '', qrPlain: '' });
    expect(lines).toContain('follow: http://h:1/?token=T');
    expect(lines).toContain('token: T');
  });
});
