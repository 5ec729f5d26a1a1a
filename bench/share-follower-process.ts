import WebSocket from 'ws';
import { follow, parseFollowUrl } from '../src/share/follower';
import { streamUrl } from '../src/share/protocol';

// The follower side of bench/share-fanout.ts, in its own process so the
// followers' work does not run on the presenter's event loop. In a room each
// follower is its own machine; here one process plays all of them, so they
// are kept light: raw WebSockets that parse each frame and time every
// `bench.sentAt` metric from the presenter's wall clock to arrival. One real
// follower (`follow()`: zod-validated frames into a view store) runs beside
// them and must end at the same sequence number.
// Started by the bench with CHAOSDECK_SHARE_BENCH_CHILD=1; exports nothing.

interface Frame { kind: string; first?: number; events?: { type: string; name?: string; value?: number }[] }

async function main(): Promise<void> {
  const url = process.env.CHAOSDECK_SHARE_URL!;
  const count = Number(process.env.CHAOSDECK_SHARE_FOLLOWERS ?? '200');
  const { base, token } = parseFollowUrl(url);
  const delays: number[] = [];
  const seqs = new Array<number>(count).fill(0);
  const sockets = Array.from({ length: count }, (_, i) => {
    const ws = new WebSocket(streamUrl(base, { token: token! }), { perMessageDeflate: false });
    ws.on('message', (data) => {
      const arrived = performance.timeOrigin + performance.now();
      const frame = JSON.parse(data.toString()) as Frame;
      if (frame.kind === 'snapshot') seqs[i] = (frame as unknown as { seq: number }).seq;
      if (frame.kind !== 'events') return;
      for (const event of frame.events!) if (event.type === 'metric' && event.name === 'bench.sentAt') delays.push(arrived - event.value!);
      seqs[i] = frame.first! + frame.events!.length - 1;
    });
    return new Promise<WebSocket>((resolve, reject) => {
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  });
  const open = await Promise.all(sockets);
  const real = follow({ url });
  await real.ready;
  process.send!({ kind: 'ready' });
  process.on('message', (message: { kind: string }) => {
    if (message.kind !== 'report') return;
    const closed = open.filter((ws) => ws.readyState !== WebSocket.OPEN).length;
    process.send!({ kind: 'report', delays, minSeq: Math.min(...seqs, real.status().seq), dropped: closed + (real.status().phase === 'live' ? 0 : 1) });
    for (const ws of open) ws.terminate();
    real.close();
    setTimeout(() => process.exit(0), 50);
  });
}

if (process.env.CHAOSDECK_SHARE_BENCH_CHILD === '1') await main();
