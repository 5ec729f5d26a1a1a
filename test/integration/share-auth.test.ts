import { request } from 'node:http';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { follow } from '../../src/share/follower';
import { CloseCode, parseServerFrame, streamUrl, type ServerFrame } from '../../src/share/protocol';
import { createShareHub } from '../../src/share/hub';
import { createTokens, roleOfToken } from '../../src/share/tokens';
import { waitFor } from '../helpers';
import { demoRunStarted, startFollowers, startPresenter, stateOf, type PresenterSide } from './share-helpers';

// Who may watch, and what they see: tokens on every request, the presenter's
// stream only for the presenter token, talking points only there, nothing a
// follower sends reaching anything, and no secret in a frame.

let presenter: PresenterSide | null = null;
afterEach(async () => {
  await presenter?.close();
  presenter = null;
});

/** The HTTP status a WebSocket upgrade gets (101 when accepted). */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

function httpGet(url: string): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    }).on('error', reject).end();
  });
}

/** Collects every frame of one raw connection. */
function collect(url: string): { frames: ServerFrame[]; socket: WebSocket; opened: Promise<void> } {
  const socket = new WebSocket(url);
  const frames: ServerFrame[] = [];
  socket.on('message', (data) => frames.push(parseServerFrame(data.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    socket.on('open', () => resolve());
    socket.on('error', reject);
  });
  return { frames, socket, opened };
}

describe('share: tokens and roles', () => {
  it('refuses the stream and the page without a valid token (401)', async () => {
    presenter = await startPresenter();
    const { base, server } = presenter;
    const stream = new URL('stream', base);
    stream.protocol = 'ws:';
    expect(await upgradeStatus(stream.toString())).toBe(401);
    expect(await upgradeStatus(streamUrl(base, { token: 'not-the-token' }))).toBe(401);
    expect(await upgradeStatus(streamUrl(base, { token: `${server.tokens.audience}x` }))).toBe(401);
    expect(await upgradeStatus(streamUrl(base, { token: server.tokens.audience }))).toBe(101);
    expect(await upgradeStatus(stream.toString(), { authorization: `Bearer ${server.tokens.audience}` })).toBe(101);
    expect((await httpGet(base)).status).toBe(401);
    expect((await httpGet(`${base}?token=wrong`)).status).toBe(401);
    expect((await httpGet(`${base}stream?token=wrong`)).status).toBe(401);
    const page = await httpGet(server.info.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="app.js">');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('an audience token cannot open the notes view (403); the presenter token can', async () => {
    presenter = await startPresenter();
    const { base, server } = presenter;
    expect(await upgradeStatus(streamUrl(base, { token: server.tokens.audience, role: 'presenter' }))).toBe(403);
    expect(await upgradeStatus(streamUrl(base, { token: server.tokens.presenter, role: 'presenter' }))).toBe(101);
    expect((await httpGet(`${base}stream?token=${server.tokens.audience}&role=presenter`)).status).toBe(403);
    expect((await httpGet(`${base}stream?token=${server.tokens.presenter}&role=presenter`)).status).toBe(426);
    const refused = follow({ url: base, token: server.tokens.audience, role: 'presenter' });
    await expect(refused.ready).rejects.toThrow(/403/);
    expect(refused.status().phase).toBe('refused');
    const wrong = follow({ url: base, token: 'nope' });
    await expect(wrong.ready).rejects.toThrow(/401/);
  });

  it('talking points reach the presenter stream only', async () => {
    presenter = await startPresenter();
    const { base, server, bus } = presenter;
    const [audience, notes] = [
      ...(await startFollowers(1, { url: server.info.url })),
      ...(await startFollowers(1, { url: base, token: server.tokens.presenter, role: 'presenter' })),
    ];
    const raw = collect(streamUrl(base, { token: server.tokens.audience }));
    await raw.opened;
    bus.emit(await demoRunStarted());
    bus.emit({ type: 'step.entered', index: 0, phase: 'baseline' });
    await waitFor(() => audience!.status().seq === 2 && notes!.status().seq === 2 && raw.frames.some((f) => f.kind === 'events'));
    const say = 'Every experiment starts by proving the steady state.';
    expect(stateOf(notes!).run?.scenario.steps[0]?.say).toEqual([say]);
    expect(stateOf(audience!).run?.scenario.steps[0]?.say).toEqual([]);
    expect(JSON.stringify(raw.frames)).not.toContain(say);
    raw.socket.terminate();
    audience!.close();
    notes!.close();
  });

  it('is read-only: a follower that sends anything is closed and nothing changes', async () => {
    presenter = await startPresenter();
    const { base, server, bus } = presenter;
    bus.emit(await demoRunStarted());
    server.hub.flush();
    const before = server.hub.state();
    const raw = collect(streamUrl(base, { token: server.tokens.presenter }));
    await raw.opened;
    const closed = new Promise<number>((resolve) => raw.socket.on('close', (code) => resolve(code)));
    raw.socket.send(JSON.stringify({ type: 'deck.halt' }));
    expect(await closed).toBe(CloseCode.readOnly);
    expect(server.hub.state()).toBe(before);
    expect(server.hub.stats().head).toBe(1);
  });

  it('bounds the number of followers (503 when full)', async () => {
    presenter = await startPresenter({ maxFollowers: 2 });
    const { base, server } = presenter;
    const url = streamUrl(base, { token: server.tokens.audience });
    const first = collect(url);
    const second = collect(url);
    await Promise.all([first.opened, second.opened]);
    expect(await upgradeStatus(url)).toBe(503);
    first.socket.terminate();
    await waitFor(async () => (await upgradeStatus(url)) === 101, { message: 'a free place after one left' });
    second.socket.terminate();
  });

  it('masks secret shapes in live frames and snapshots, even ones the bus did not know', async () => {
    presenter = await startPresenter();
    const { base, server, bus } = presenter;
    const raw = collect(streamUrl(base, { token: server.tokens.presenter }));
    await raw.opened;
    bus.emit({ type: 'log.lines', source: 'api', dropped: 0, lines: [{ text: 'connecting with password=hunter22 to db' }, { text: 'Authorization: Bearer abcdefghijklmnop' }] });
    await waitFor(() => raw.frames.some((f) => f.kind === 'events'));
    const late = collect(streamUrl(base, { token: server.tokens.audience }));
    await late.opened;
    await waitFor(() => late.frames.some((f) => f.kind === 'snapshot'));
    for (const text of [JSON.stringify(raw.frames), JSON.stringify(late.frames)]) {
      expect(text).toContain('connecting with password=');
      expect(text).not.toContain('hunter22');
      expect(text).not.toContain('abcdefghijklmnop');
    }
    raw.socket.terminate();
    late.socket.terminate();
  });
});

describe('share: tokens', () => {
  it('grants a role per token, compares whole tokens, and never issues equal tokens', () => {
    const tokens = createTokens();
    expect(tokens.audience).not.toBe(tokens.presenter);
    expect(tokens.audience).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(roleOfToken(tokens, tokens.audience)).toBe('audience');
    expect(roleOfToken(tokens, tokens.presenter)).toBe('presenter');
    expect(roleOfToken(tokens, tokens.audience.slice(0, -1))).toBeNull();
    expect(roleOfToken(tokens, '')).toBeNull();
    expect(roleOfToken(tokens, null)).toBeNull();
    expect(() => createTokens({ audience: 'same-token', presenter: 'same-token' })).toThrow(/differ/);
  });

  it('a resume point from another epoch or beyond the window starts from a snapshot', () => {
    const hub = createShareHub({ resumeWindow: 3 });
    for (let i = 0; i < 10; i++) hub.publish({ type: 'notice', t: i, level: 'info', text: `n${i}` });
    hub.flush();
    const sent: string[] = [];
    const channel = { role: 'audience' as const, bufferedBytes: () => 0, send: (t: string) => sent.push(t), drop: () => undefined };
    const kinds = () => sent.map((t) => (JSON.parse(t) as { kind: string }).kind);
    hub.attach(channel, { epoch: 'other', since: 9 })();
    expect(kinds()).toEqual(['hello', 'snapshot']);
    sent.length = 0;
    hub.attach(channel, { epoch: hub.epoch, since: 1 })();
    expect(kinds()).toEqual(['hello', 'snapshot']);
    sent.length = 0;
    hub.attach(channel, { epoch: hub.epoch, since: 8 })();
    expect(kinds()).toEqual(['hello', 'events']);
    expect(JSON.parse(sent[1]!)).toMatchObject({ first: 9, events: [{ text: 'n8' }, { text: 'n9' }] });
  });
});
