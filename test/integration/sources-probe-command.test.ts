import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openProbeSource } from '../../src/sources/probe';
import { openCommandSource } from '../../src/sources/command';
import { openSource, SOURCE_PROVIDERS } from '../../src/sources/registry';
import { isDeckError } from '../../src/engine/errors';
import { dockerDriver } from '../../src/drivers/docker';
import { closeSshConnections } from '../../src/drivers/ssh-connection';
import { createTestSourceContext, waitFor } from '../fixtures/drivers/context';
import { generateKey, startTestSshServer, type TestSshServer } from '../fixtures/drivers/ssh-server';

// The HTTP probe against a local server whose delay and failures the test
// sets, and the command source running real processes, here and over ssh.

describe('probe source', () => {
  let server: Server;
  let url: string;
  let delayMs = 0;
  let failEvery = 0;
  let count = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      count++;
      const status = failEvery && count % failEvery === 0 ? 500 : 200;
      setTimeout(() => res.writeHead(status).end('x'), delayMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reports latency percentiles, rate and error share per window', async () => {
    delayMs = 60;
    failEvery = 2;
    const context = createTestSourceContext();
    const source = openProbeSource({ kind: 'latency', from: 'probe', url, rate: 20, windowMs: 500 }, context);
    const event = await waitFor(() => context.events.find((e) => e.type === 'latency' && e.rps > 0), 10_000, 'latency');
    await source.stop();
    expect(event).toMatchObject({ source: 'probe:latency' });
    if (event.type !== 'latency') throw new Error('unreachable');
    expect(event.p50).toBeGreaterThanOrEqual(55);
    expect(event.errorRate).toBeGreaterThan(0.2);
    expect(event.errorRate).toBeLessThan(0.8);
  });

  it('counts refused connections as errors', async () => {
    const context = createTestSourceContext();
    const source = openProbeSource({ kind: 'latency', from: 'probe', url: 'http://127.0.0.1:9/', rate: 10, windowMs: 300 }, context);
    const event = await waitFor(() => context.events.find((e) => e.type === 'latency' && e.rps > 0), 10_000, 'latency');
    await source.stop();
    expect(event).toMatchObject({ errorRate: 1 });
  });
});

describe('command source', () => {
  let ssh: TestSshServer;
  let keyFile: string;
  let knownHosts: string;

  beforeAll(async () => {
    const key = generateKey();
    const dir = mkdtempSync(join(tmpdir(), 'command-source-'));
    keyFile = join(dir, 'id');
    writeFileSync(keyFile, key.private, { mode: 0o600 });
    ssh = await startTestSshServer(key.public);
    knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `[127.0.0.1]:${ssh.port} ${ssh.hostPublicKey}\n`);
  });
  afterAll(async () => {
    await closeSshConnections();
    await ssh?.close();
  });

  const script = 'for i in 1 2 3; do echo "retransmit postgres $i"; echo "noise"; done; sleep 3';

  it('turns matching lines of a local command into metrics', async () => {
    const context = createTestSourceContext();
    const source = openCommandSource({ kind: 'metrics', from: 'command', shell: script, pattern: 'retransmit (?<comm>\\S+) (?<n>\\d+)', metric: 'tcp_retransmits', value: 'n' }, context);
    await waitFor(() => context.events.filter((e) => e.type === 'metric').length === 3, 10_000, 'three metrics');
    await source.stop();
    expect(context.events.filter((e) => e.type === 'metric').map((e) => e.type === 'metric' && e.value)).toEqual([1, 2, 3]);
    expect(context.events.some((e) => e.type === 'log.lines')).toBe(false);
  });

  it('feeds the logs pane and says when the command ends by itself', async () => {
    const context = createTestSourceContext();
    const source = openCommandSource({ kind: 'logs', from: 'command', argv: ['sh', '-c', 'echo one; echo two; exit 4'] }, context);
    const notice = await waitFor(() => context.events.find((e) => e.type === 'notice'), 10_000, 'notice');
    expect(notice).toMatchObject({ level: 'warn', text: expect.stringContaining('exit 4') });
    expect(context.events.flatMap((e) => (e.type === 'log.lines' ? e.lines.map((l) => l.text) : []))).toEqual(['one', 'two']);
    await source.stop();
  });

  it('runs over ssh on the host named in the spec', async () => {
    const context = createTestSourceContext({ environment: { drivers: { ssh: { identityFile: keyFile, knownHosts: [knownHosts] } } } });
    const source = openCommandSource({ kind: 'metrics', from: 'command', host: `tester@127.0.0.1:${ssh.port}`, shell: script, pattern: 'retransmit \\S+ (\\d+)', metric: 'tcp_retransmits', value: 1 }, context);
    await waitFor(() => context.events.filter((e) => e.type === 'metric').length === 3, 10_000, 'three metrics over ssh');
    await source.stop();
    expect(ssh.commands.at(-1)).toBe(`sh -c '${script}'`);
  });

  it('is reached through the registry, which routes driver names to drivers', async () => {
    expect(Object.keys(SOURCE_PROVIDERS).sort()).toEqual(['alerts', 'command', 'probe', 'prometheus']);
    const context = createTestSourceContext();
    const source = openSource({ kind: 'logs', from: 'command', argv: ['echo', 'routed'] }, context);
    await waitFor(() => context.events.some((e) => e.type === 'log.lines'), 10_000, 'routed line');
    await source.stop();
    const unknown = (() => {
      try {
        openSource({ kind: 'logs', from: 'nowhere' }, context);
      } catch (error) {
        return error;
      }
    })();
    expect(isDeckError(unknown, 'UNSUPPORTED')).toBe(true);
    const cannot = (() => {
      try {
        openSource({ kind: 'latency', from: 'docker', target: 'x' }, context, new Map([['docker', dockerDriver]]));
      } catch (error) {
        return error;
      }
    })();
    expect(isDeckError(cannot, 'UNSUPPORTED')).toBe(true);
  });
});
