import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { keepAliveAgent, request } from '../src/lab/http';
import type { Benchmark } from './harness';

// The latency the fault proxy adds with no toxic: the same keep-alive HTTP
// request to the backend service, directly and through a proxy (each in its
// own process, as in the lab), interleaved in rounds so both see the same
// machine. Budget: the p50 difference under 0.3 ms.

const SERVICE = resolve(import.meta.dirname, '../dist/lab-service.js');

function startService(config: Record<string, unknown>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolvePort, reject) => {
    const child = spawn(process.execPath, [SERVICE], { env: { ...process.env, CHAOSDECK_LAB_SERVICE: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolvePort({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}): ${output}`)));
  });
}

async function timeRequests(port: number, count: number, agent: ReturnType<typeof keepAliveAgent>, into: number[]): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await request({ host: '127.0.0.1', port, path: '/prices', agent, timeoutMs: 5000 });
    into.push(performance.now() - started);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export const benchmarks: Benchmark[] = [
  {
    name: 'fault proxy: added latency with no toxic, p50',
    unit: 'ms',
    budget: 0.3,
    async run() {
      const backend = await startService({ name: 'backend', kind: 'backend', httpPort: 0, links: {} });
      const proxyApi = await startService({ name: 'proxy', kind: 'proxy', httpPort: 0, links: {}, proxies: [{ name: 'backend', listen: '127.0.0.1:0', upstream: `127.0.0.1:${backend.port}` }] });
      try {
        const answer = await request({ host: '127.0.0.1', port: proxyApi.port, path: '/proxies/backend', timeoutMs: 2000 });
        const proxyPort = Number((JSON.parse(answer.body.toString('utf8')) as { listen: string }).listen.split(':')[1]);
        const directAgent = keepAliveAgent(1);
        const proxiedAgent = keepAliveAgent(1);
        await timeRequests(backend.port, 500, directAgent, []);
        await timeRequests(proxyPort, 500, proxiedAgent, []);
        const direct: number[] = [];
        const proxied: number[] = [];
        for (let round = 0; round < 20; round += 1) {
          await timeRequests(backend.port, 200, directAgent, direct);
          await timeRequests(proxyPort, 200, proxiedAgent, proxied);
        }
        directAgent.destroy();
        proxiedAgent.destroy();
        const directP50 = median(direct);
        const proxiedP50 = median(proxied);
        return { value: Math.round((proxiedP50 - directP50) * 1000) / 1000, baseline: Math.round(directP50 * 1000) / 1000, note: `direct p50 ${directP50.toFixed(3)} ms, proxied p50 ${proxiedP50.toFixed(3)} ms over ${direct.length} requests each` };
      } finally {
        backend.child.kill();
        proxyApi.child.kill();
      }
    },
  },
];
