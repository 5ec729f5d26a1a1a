import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Follower } from '../../src/share/follower';
import { percentile } from '../../bench/harness';
import { waitFor } from '../helpers';
import { startFollowers, startPresenter, type PresenterSide } from './share-helpers';

// A follower that stops reading (a phone that went to sleep, a student's
// laptop lid closed) must cost the others nothing. It is a raw TCP client
// that completes the WebSocket handshake and then never reads again; the
// kernel buffers fill, the server's send buffer passes its bound and the
// follower is dropped, while the healthy followers keep up. Fan-out latency
// is measured with and without it and printed; the budget lives in bench/.

let presenter: PresenterSide | null = null;
let followers: Follower[] = [];
let stalled: Socket | null = null;
afterEach(async () => {
  stalled?.destroy();
  for (const f of followers) f.close();
  followers = [];
  await presenter?.close();
  presenter = null;
});

/** Opens the stream, reads the 101 response, then stops reading for good. */
async function stalledFollower(port: number, token: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write([
    `GET /stream?token=${token} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', '',
  ].join('\r\n'));
  const head = await new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
  expect(head).toMatch(/^HTTP\/1.1 101/);
  socket.pause();
  return socket;
}

/** Publishes `batches` log batches of ~100 KB, a turn of the loop apart; returns each healthy follower's delay per batch. */
async function measure(side: PresenterSide, healthy: readonly Follower[], batches: number, until: () => boolean = () => false): Promise<{ delays: number[]; published: number }> {
  const sentAt = new Map<number, number>();
  const delays: number[] = [];
  const seen = healthy.map(() => 0);
  const unsubscribe = healthy.map((f, i) => f.subscribeStatus(() => {
    const seq = f.status().seq;
    for (let s = seen[i]! + 1; s <= seq; s++) {
      const at = sentAt.get(s);
      if (at !== undefined) delays.push(performance.now() - at);
    }
    seen[i] = Math.max(seen[i]!, seq);
  }));
  const line = 'x'.repeat(1_000);
  let published = 0;
  for (let b = 0; b < batches && !until(); b++) {
    const head = side.server.hub.stats().head;
    sentAt.set(head + 1, performance.now());
    side.bus.emit({ type: 'log.lines', source: 'api', dropped: 0, lines: Array.from({ length: 100 }, (_, i) => ({ text: `${b}:${i} ${line}` })) });
    published++;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  side.server.hub.flush();
  const head = side.server.hub.stats().head;
  await waitFor(() => healthy.every((f) => f.status().seq >= head), { timeoutMs: 30_000, message: 'healthy followers at head' });
  for (const stop of unsubscribe) stop();
  return { delays, published };
}

describe('share: a stalled follower', () => {
  it('is dropped without delaying the others', async () => {
    presenter = await startPresenter({ maxBufferedBytes: 256 * 1024 });
    const { server } = presenter;
    followers = await startFollowers(5, { url: server.info.url });

    const baseline = await measure(presenter, followers, 60);
    stalled = await stalledFollower(server.address.port, server.tokens.audience);
    await waitFor(() => server.hub.stats().followers === 6, { message: 'the stalled follower attached' });
    const withStalled = await measure(presenter, followers, 2_000, () => server.hub.stats().dropped > 0);
    // A few more batches after the drop: the others go on as before.
    const after = await measure(presenter, followers, 20);

    expect(server.hub.stats().dropped).toBe(1);
    expect(server.hub.stats().followers).toBe(5);
    for (const follower of followers) {
      expect(follower.status().phase).toBe('live');
      expect(follower.status().reconnects).toBe(0);
      expect(follower.status().seq).toBe(server.hub.stats().head);
    }
    // Several MB went out while it was stalled, every byte of it to the healthy followers.
    expect(withStalled.published).toBeGreaterThan(10);
    expect(withStalled.delays.length).toBe(withStalled.published * followers.length);
    const figures = (label: string, d: number[]) => `${label}: p50 ${percentile(d, 50).toFixed(1)} ms, p99 ${percentile(d, 99).toFixed(1)} ms (${d.length} deliveries)`;
    console.info([
      'fan-out delay to 5 healthy followers, ~100 KB batches:',
      figures('  without a stalled follower', baseline.delays),
      figures(`  with one stalled until dropped (${withStalled.published} batches)`, withStalled.delays),
      figures('  after the drop', after.delays),
    ].join('\n'));
  });
});
