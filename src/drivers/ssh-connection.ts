import { readFile } from 'node:fs/promises';
import ssh2, { type Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { DeckError } from '../engine/errors';
import { checkKnownHosts, fingerprintOf, hostTokenOf, keyTypeOf, readKnownHosts } from './ssh-known-hosts';
import type { SshConfig, SshEndpoint } from './ssh-config';

// ssh2 connections, verified against known_hosts, kept open and reused per
// endpoint. A connection that drops is forgotten, so the next command (an undo
// after the network blipped) connects again instead of failing.

/** Asks the presenter to trust an unknown host key; absent for sources, which cannot ask. */
export type TrustPrompt = (question: string) => Promise<boolean>;

/** The outcome of a remote command, shaped like a local CommandResult. */
export interface RemoteResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly isTimedOut: boolean;
  readonly isCanceled: boolean;
  readonly isOk: boolean;
}

/** Options for one remote command. */
export interface RemoteExecOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
}

const pool = new Map<string, Promise<Client>>();
const acceptedThisSession = new Set<string>();

function keyOf(endpoint: SshEndpoint): string {
  return `${endpoint.user}@${endpoint.host}:${endpoint.port}${endpoint.via ? ` via ${keyOf(endpoint.via)}` : ''}`;
}

type Verdict = { kind: 'trusted' } | { kind: 'unknown'; fingerprint: string; type: string } | { kind: 'refused'; error: DeckError };

async function judge(endpoint: SshEndpoint, config: SshConfig, blob: Buffer, knownHosts: string): Promise<Verdict> {
  const fingerprint = fingerprintOf(blob);
  const where = hostTokenOf(endpoint.host, endpoint.port);
  const verdict = checkKnownHosts(knownHosts, endpoint.host, endpoint.port, blob);
  if (verdict.kind === 'match') return { kind: 'trusted' };
  if (verdict.kind === 'mismatch' || verdict.kind === 'revoked') {
    const detail = verdict.kind === 'revoked' ? 'is marked @revoked' : `does not match the one recorded (${verdict.expected}, known_hosts line ${verdict.line})`;
    return {
      kind: 'refused',
      error: new DeckError('HOST_KEY_MISMATCH', `REFUSED: the host key of ${where} (${fingerprint}) ${detail}. Someone may be intercepting the connection, or the host was reinstalled. If the change is expected, remove the old key with: ssh-keygen -R '${where}'`),
    };
  }
  if (endpoint.fingerprint) {
    if (endpoint.fingerprint === fingerprint) return { kind: 'trusted' };
    return { kind: 'refused', error: new DeckError('HOST_KEY_MISMATCH', `REFUSED: the host key of ${where} is ${fingerprint}, but the profile pins ${endpoint.fingerprint}`) };
  }
  if (acceptedThisSession.has(`${where} ${fingerprint}`)) return { kind: 'trusted' };
  return { kind: 'unknown', fingerprint, type: keyTypeOf(blob) };
}

async function authOptions(endpoint: SshEndpoint, config: SshConfig): Promise<Partial<ConnectConfig>> {
  const options: Partial<ConnectConfig> = {};
  if (endpoint.identityFile) {
    options.privateKey = await readFile(endpoint.identityFile);
    const passphrase = config.passphraseEnv ? process.env[config.passphraseEnv] : undefined;
    if (passphrase) options.passphrase = passphrase;
  }
  const agent = config.agent ?? process.env.SSH_AUTH_SOCK;
  if (agent) options.agent = agent;
  const password = config.passwordEnv ? process.env[config.passwordEnv] : undefined;
  if (password) options.password = password;
  return options;
}

async function connectOnce(endpoint: SshEndpoint, config: SshConfig, sock: ClientChannel | undefined): Promise<Client> {
  const knownHosts = await readKnownHosts(config.knownHosts);
  let verdict: Verdict | undefined;
  const client = new ssh2.Client();
  const options: ConnectConfig = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.user,
    readyTimeout: config.readyTimeoutMs,
    keepaliveInterval: 5_000,
    keepaliveCountMax: 3,
    ...(sock ? { sock } : {}),
    ...(await authOptions(endpoint, config)),
    hostVerifier: (key: Buffer, verify: (isValid: boolean) => void) => {
      void judge(endpoint, config, key, knownHosts).then((result) => {
        verdict = result;
        verify(result.kind === 'trusted');
      });
    },
  };
  return new Promise<Client>((resolve, reject) => {
    const fail = (error: Error) => {
      client.removeAllListeners('ready');
      client.end();
      if (verdict?.kind === 'refused') return reject(verdict.error);
      if (verdict?.kind === 'unknown') return reject(new UnknownHostKey(endpoint, verdict.fingerprint, verdict.type));
      reject(new DeckError('DRIVER_FAILED', `ssh ${endpoint.user}@${endpoint.host}:${endpoint.port}: ${error.message}`, { cause: error }));
    };
    client.once('ready', () => {
      client.removeListener('error', fail);
      client.on('error', () => undefined);
      resolve(client);
    });
    client.once('error', fail);
    client.connect(options);
  });
}

class UnknownHostKey extends DeckError {
  constructor(readonly endpoint: SshEndpoint, readonly fingerprint: string, readonly keyType: string) {
    const where = hostTokenOf(endpoint.host, endpoint.port);
    super('HOST_KEY_UNKNOWN', `REFUSED: ${where} is not in known_hosts and its key (${keyType} ${fingerprint}) is not pinned. Add it with ssh-keyscan after checking the fingerprint, or pin \`fingerprint: ${fingerprint}\` in drivers.ssh.hosts`);
  }
}

async function open(endpoint: SshEndpoint, config: SshConfig, ask: TrustPrompt | undefined): Promise<Client> {
  const sock = endpoint.via ? await forward(await connection(endpoint.via, config, ask), endpoint) : undefined;
  try {
    return await connectOnce(endpoint, config, sock);
  } catch (error) {
    if (!(error instanceof UnknownHostKey) || !ask || config.unknownHosts === 'never') throw error;
    const where = hostTokenOf(endpoint.host, endpoint.port);
    const isTrusted = await ask(`${where} is not in known_hosts. Its ${error.keyType} key fingerprint is ${error.fingerprint}. Trust it for this session?`);
    if (!isTrusted) throw error;
    acceptedThisSession.add(`${where} ${error.fingerprint}`);
    const retrySock = endpoint.via ? await forward(await connection(endpoint.via, config, ask), endpoint) : undefined;
    return connectOnce(endpoint, config, retrySock);
  }
}

function forward(jump: Client, endpoint: SshEndpoint): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    jump.forwardOut('127.0.0.1', 0, endpoint.host, endpoint.port, (error, stream) => {
      if (error) reject(new DeckError('DRIVER_FAILED', `jump host could not reach ${endpoint.host}:${endpoint.port}: ${error.message}`, { cause: error }));
      else resolve(stream);
    });
  });
}

/** An open, verified connection to an endpoint, reused while it stays up. */
export function connection(endpoint: SshEndpoint, config: SshConfig, ask?: TrustPrompt): Promise<Client> {
  const key = keyOf(endpoint);
  const existing = pool.get(key);
  if (existing) return existing;
  const opened = open(endpoint, config, ask);
  pool.set(key, opened);
  opened.then(
    (client) => client.once('close', () => pool.get(key) === opened && pool.delete(key)),
    () => pool.get(key) === opened && pool.delete(key),
  );
  return opened;
}

/** Closes every pooled connection (tests and shutdown). */
export async function closeSshConnections(): Promise<void> {
  const clients = await Promise.allSettled([...pool.values()]);
  pool.clear();
  for (const client of clients) if (client.status === 'fulfilled') client.value.end();
}

/** Forgets the session's accepted unknown host keys (tests). */
export function forgetAcceptedHostKeys(): void {
  acceptedThisSession.clear();
}

/**
 * Runs a command line on the remote host and streams its output. A dropped
 * connection before the command starts is retried once on a fresh connection.
 */
export async function remoteExec(endpoint: SshEndpoint, config: SshConfig, command: string, options: RemoteExecOptions, ask?: TrustPrompt): Promise<RemoteResult> {
  for (let attempt = 0; ; attempt++) {
    const client = await connection(endpoint, config, ask);
    try {
      return await execOn(client, command, options);
    } catch (error) {
      if (attempt > 0 || !(error instanceof ChannelOpenError)) throw error;
      pool.delete(keyOf(endpoint));
      client.end();
    }
  }
}

class ChannelOpenError extends Error {}

function execOn(client: Client, command: string, options: RemoteExecOptions): Promise<RemoteResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(new ChannelOpenError(error.message));
      let stdout = '';
      let stderr = '';
      const partial = { stdout: '', stderr: '' };
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let isTimedOut = false;
      let isCanceled = false;
      const feed = (stream: 'stdout' | 'stderr', chunk: Buffer) => {
        const text = chunk.toString('utf8');
        if (stream === 'stdout') stdout += text;
        else stderr += text;
        const lines = (partial[stream] + text).split('\n');
        partial[stream] = lines.pop() ?? '';
        for (const line of lines) options.onLine?.(stream, line.replace(/\r$/, ''));
      };
      const stop = () => {
        channel.signal('KILL');
        channel.close();
      };
      const timer = options.timeoutMs ? setTimeout(() => { isTimedOut = true; stop(); }, options.timeoutMs) : undefined;
      const onAbort = () => { isCanceled = true; stop(); };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      channel.on('data', (chunk: Buffer) => feed('stdout', chunk));
      channel.stderr.on('data', (chunk: Buffer) => feed('stderr', chunk));
      channel.on('exit', (code: number | null, signal?: string) => {
        exitCode = typeof code === 'number' ? code : null;
        exitSignal = signal ?? null;
      });
      channel.on('close', () => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        for (const stream of ['stdout', 'stderr'] as const) if (partial[stream]) options.onLine?.(stream, partial[stream]);
        const isOk = exitCode === 0 && !isTimedOut && !isCanceled;
        resolve({ exitCode, signal: exitSignal, stdout: stdout.replace(/\n$/, ''), stderr: stderr.replace(/\n$/, ''), isTimedOut, isCanceled, isOk });
      });
      if (options.input !== undefined) channel.end(options.input);
      else channel.end();
    });
  });
}
