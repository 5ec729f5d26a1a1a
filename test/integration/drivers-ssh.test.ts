import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeckError } from '../../src/engine/errors';
import { sshDriver } from '../../src/drivers/ssh';
import { closeSshConnections, forgetAcceptedHostKeys } from '../../src/drivers/ssh-connection';
import { fingerprintOf } from '../../src/drivers/ssh-known-hosts';
import { ActionSchema, type Action } from '../../src/scenario/schema';
import { createTestContext, createTestSourceContext, waitFor, type TestContextOptions } from '../fixtures/drivers/context';
import { generateKey, startTestSshServer, type TestSshServer } from '../fixtures/drivers/ssh-server';

// The ssh driver against a real ssh2 server on 127.0.0.1: a real handshake
// and public-key authentication, host keys checked against a known_hosts file,
// remote commands run with sh -c (systemctl, tc, ip and journalctl are
// stand-ins from test/fixtures/drivers/ssh-bin; tee, cat, rm and mkdir are real).

const action = (input: Record<string, unknown>): Action => ActionSchema.parse({ target: 'api', ...input });

describe('ssh driver against an ssh2 server on loopback', () => {
  let server: TestSshServer;
  let jump: TestSshServer;
  let work: string;
  let keyFile: string;
  let knownHosts: string;
  let dropIns: string;

  const options = (extra: { config?: Record<string, unknown>; binding?: Record<string, unknown>; answer?: boolean } = {}): TestContextOptions => ({
    targetName: 'api',
    binding: { driver: 'ssh', host: '127.0.0.1', port: server.port, user: 'tester', unit: 'bharatmart-api', ...extra.binding },
    config: { identityFile: keyFile, knownHosts: [knownHosts], sudo: false, dropInDirectory: dropIns, ...extra.config },
    answer: extra.answer,
    environment: { targets: { api: { driver: 'ssh', host: '127.0.0.1', port: server.port, user: 'tester', unit: 'bharatmart-api' } } },
  });
  const calls = () => (existsSync(server.logFile) ? readFileSync(server.logFile, 'utf8').trim().split('\n') : []);

  beforeAll(async () => {
    const clientKey = generateKey();
    work = mkdtempSync(join(tmpdir(), 'ssh-driver-'));
    keyFile = join(work, 'id_ed25519');
    writeFileSync(keyFile, clientKey.private, { mode: 0o600 });
    server = await startTestSshServer(clientKey.public);
    jump = await startTestSshServer(clientKey.public);
    knownHosts = join(work, 'known_hosts');
    dropIns = join(work, 'systemd');
    writeFileSync(knownHosts, `[127.0.0.1]:${server.port} ${server.hostPublicKey}\n[127.0.0.1]:${jump.port} ${jump.hostPublicKey}\n`);
  });
  afterEach(async () => {
    await closeSshConnections();
    forgetAcceptedHostKeys();
  });
  afterAll(async () => {
    await server?.close();
    await jump?.close();
  });

  it('runs a command with streamed output and its exit code, echoed as an ssh command line', async () => {
    const context = createTestContext(options());
    const outcome = await sshDriver.apply(action({ verb: 'exec', argv: ['sh', '-c', 'echo one; echo two >&2; exit 3'] }), context);
    expect(outcome.isOk).toBe(false);
    expect(outcome.error).toMatch(/exit 3: two/);
    expect(context.shown).toEqual([expect.objectContaining({
      display: `ssh -p ${server.port} tester@127.0.0.1 -- sh -c 'echo one; echo two >&2; exit 3'`,
      lines: ['one', 'two'],
      outcome: expect.objectContaining({ isOk: false, exitCode: 3 }),
    })]);
    const ok = await sshDriver.apply(action({ verb: 'exec', argv: ['echo', 'hello world'] }), context);
    expect(ok).toMatchObject({ isOk: true, output: { status: 0, stdout: 'hello world' } });
  });

  it('refuses a host whose key does not match known_hosts, before running anything', async () => {
    const other = generateKey();
    const wrong = join(work, 'known_hosts_wrong');
    writeFileSync(wrong, `[127.0.0.1]:${server.port} ${other.public.split(' ').slice(0, 2).join(' ')}\n`);
    const before = server.commands.length;
    const context = createTestContext(options({ config: { knownHosts: [wrong] } }));
    const error = await sshDriver.apply(action({ verb: 'exec', argv: ['true'] }), context).catch((e: unknown) => e);
    expect(isDeckError(error, 'HOST_KEY_MISMATCH')).toBe(true);
    expect((error as Error).message).toMatch(/^REFUSED: the host key of \[127\.0\.0\.1\]:\d+ \(SHA256:.+\) does not match .*ssh-keygen -R/);
    expect(server.commands.length).toBe(before);
    expect(context.questions).toEqual([]);
  });

  it('refuses an unknown host unless the presenter accepts its fingerprint', async () => {
    const empty = join(work, 'known_hosts_empty');
    writeFileSync(empty, '');
    const refused = createTestContext(options({ config: { knownHosts: [empty] }, answer: false }));
    const error = await sshDriver.apply(action({ verb: 'exec', argv: ['true'] }), refused).catch((e: unknown) => e);
    expect(isDeckError(error, 'HOST_KEY_UNKNOWN')).toBe(true);
    expect(refused.questions[0]).toContain(fingerprintOf(server.hostKeyBlob));
    const accepted = createTestContext(options({ config: { knownHosts: [empty] }, answer: true }));
    expect((await sshDriver.apply(action({ verb: 'exec', argv: ['true'] }), accepted)).isOk).toBe(true);
    expect(accepted.questions).toHaveLength(1);
  });

  it('trusts an unknown host whose fingerprint the profile pins, and refuses a wrong pin', async () => {
    const empty = join(work, 'known_hosts_empty2');
    writeFileSync(empty, '');
    const pinned = createTestContext(options({ config: { knownHosts: [empty] }, binding: { fingerprint: fingerprintOf(server.hostKeyBlob) } }));
    expect((await sshDriver.apply(action({ verb: 'exec', argv: ['true'] }), pinned)).isOk).toBe(true);
    expect(pinned.questions).toEqual([]);
    await closeSshConnections();
    const wrongPin = createTestContext(options({ config: { knownHosts: [empty] }, binding: { fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } }));
    const error = await sshDriver.apply(action({ verb: 'exec', argv: ['true'] }), wrongPin).catch((e: unknown) => e);
    expect(isDeckError(error, 'HOST_KEY_MISMATCH')).toBe(true);
  });

  it('restarts with CHAOS_* in a systemd drop-in, and undoes it after the connection dropped', async () => {
    const context = createTestContext(options({ binding: { injectVia: 'env' } }));
    const latency = action({ verb: 'latency', ms: 500 });
    const undo = await sshDriver.prepareUndo(latency, context);
    expect(undo).toMatchObject({ verb: 'dropin', params: { unit: 'bharatmart-api', previous: null } });
    expect((await sshDriver.apply(latency, context)).isOk).toBe(true);
    const file = join(dropIns, 'bharatmart-api.service.d', 'chaosdeck.conf');
    expect(readFileSync(file, 'utf8')).toContain('Environment="CHAOS_ENABLED=true"\nEnvironment="CHAOS_LATENCY_MS=500"');
    expect(calls().slice(-2)).toEqual(['systemctl daemon-reload', 'systemctl restart bharatmart-api']);
    expect(context.shown.map((s) => s.display.split(' -- ')[1])).toEqual([
      `cat ${file}`, `cat ${file}`, `mkdir -p ${join(dropIns, 'bharatmart-api.service.d')}`, `tee ${file}`, 'systemctl daemon-reload', 'systemctl restart bharatmart-api',
    ]);

    server.dropConnections();
    const undone = await sshDriver.undo(undo!, createTestContext(options({ binding: { injectVia: 'env' } })));
    expect(undone.isOk).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(calls().slice(-2)).toEqual(['systemctl daemon-reload', 'systemctl restart bharatmart-api']);
  });

  it('stops a unit and starts it again on undo only if it was active', async () => {
    const context = createTestContext(options());
    const undo = await sshDriver.prepareUndo(action({ verb: 'stop' }), context);
    expect(undo).toMatchObject({ verb: 'systemctl', params: { command: 'start' } });
    await sshDriver.apply(action({ verb: 'stop' }), context);
    expect(await sshDriver.prepareUndo(action({ verb: 'stop' }), context)).toBeNull();
    await sshDriver.undo(undo!, context);
    expect(readFileSync(join(server.stateDir, 'unit-state'), 'utf8').trim()).toBe('active');
  });

  it('adds netem on the default-route device, and its undo tolerates being run twice', async () => {
    const context = createTestContext(options());
    const loss = action({ verb: 'loss', percent: 10 });
    const undo = await sshDriver.prepareUndo(loss, context);
    expect(undo?.params).toMatchObject({ device: 'ens3' });
    expect((await sshDriver.apply(loss, context)).isOk).toBe(true);
    expect(calls().at(-1)).toBe('tc qdisc replace dev ens3 root netem loss 10%');
    expect((await sshDriver.undo(undo!, context)).isOk).toBe(true);
    expect((await sshDriver.undo(undo!, context)).isOk).toBe(true);
  });

  it('reaches the target through a jump host and shows ssh -J', async () => {
    const context = createTestContext(options({ binding: { via: `tester@127.0.0.1:${jump.port}` } }));
    const before = jump.commands.length;
    const outcome = await sshDriver.apply(action({ verb: 'exec', argv: ['echo', 'via jump'] }), context);
    expect(outcome).toMatchObject({ isOk: true, output: { stdout: 'via jump' } });
    expect(context.shown[0]?.display).toBe(`ssh -J tester@127.0.0.1:${jump.port} -p ${server.port} tester@127.0.0.1 -- echo 'via jump'`);
    expect(jump.commands.length).toBe(before);
  });

  it('stops a hung command at its timeout without losing the connection', async () => {
    const context = createTestContext(options({ config: { commandTimeoutMs: 300 } }));
    const outcome = await sshDriver.apply(action({ verb: 'exec', argv: ['sleep', '30'] }), context);
    expect(outcome).toMatchObject({ isOk: false, error: expect.stringContaining('timed out') });
    expect((await sshDriver.apply(action({ verb: 'exec', argv: ['true'] }), context)).isOk).toBe(true);
  });

  it('shows but does not run commands in dry-run, while reads still run', async () => {
    const context = createTestContext({ ...options(), mode: 'dry-run' });
    const before = calls().length;
    const undo = await sshDriver.prepareUndo(action({ verb: 'stop' }), context);
    await sshDriver.apply(action({ verb: 'stop' }), context);
    expect(undo).not.toBeNull();
    expect(context.shown.map((s) => s.display.split(' -- ')[1])).toEqual(['systemctl is-active bharatmart-api', 'systemctl stop bharatmart-api']);
    expect(calls().slice(before)).toEqual(['systemctl is-active bharatmart-api']);
  });

  it('tails journalctl -fu and reads resilience4j lines from it', async () => {
    const context = createTestSourceContext(options());
    const source = sshDriver.openSource!({ kind: 'logs', from: 'ssh', target: 'api' }, context)!;
    await waitFor(() => context.events.some((e) => e.type === 'log.lines' && e.lines.some((l) => l.text === 'request 2 served')), 10_000, 'journal lines');
    expect(context.events.find((e) => e.type === 'breaker')).toMatchObject({ name: 'paymentCB', state: 'OPEN', source: 'ssh:logs:api' });
    expect(calls()).toContain('journalctl --follow --unit bharatmart-api --lines 20 --output cat');
    await source.stop();
  });
});
