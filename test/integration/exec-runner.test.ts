import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createExecRunner } from '../../src/drivers/exec';
import { createRedactor } from '../../src/engine/redact';
import { waitFor } from '../helpers';

// The runner is the only door to processes: it must never hang the deck, never
// leave a process behind, and never show a secret.

// Alive and not a zombie: an orphan's zombie lingers where PID 1 does not reap.
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('command runner', () => {
  it('times out, and ends the grandchildren too', async () => {
    const runner = createExecRunner();
    const lines: string[] = [];
    const result = await runner.run(
      { argv: ['sleep 30 & echo $!; wait'], isShell: true, timeoutMs: 500 },
      { observer: { onLine: (_, l) => lines.push(l) } },
    );
    expect(result.isTimedOut).toBe(true);
    expect(result.isOk).toBe(false);
    const grandchild = Number(lines[0]);
    expect(grandchild).toBeGreaterThan(0);
    await waitFor(() => !isAlive(grandchild), { timeoutMs: 5_000, message: `pid ${grandchild} to end` });
  });

  it('with timeout 0 runs until its signal ends it (long-running sources)', async () => {
    const abort = new AbortController();
    const lines: string[] = [];
    const running = createExecRunner().run(
      { argv: ['sh -c "echo ready; sleep 30"'], isShell: true, timeoutMs: 0 },
      { signal: abort.signal, observer: { onLine: (_, l) => lines.push(l) } },
    );
    await waitFor(() => lines.includes('ready'), { message: 'the first line' });
    await new Promise((r) => setTimeout(r, 300));
    abort.abort();
    const result = await running;
    expect(result.isCanceled).toBe(true);
    expect(result.isTimedOut).toBe(false);
  });

  it('is canceled by its AbortSignal', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const result = await createExecRunner().run({ argv: ['sleep', '30'] }, { signal: abort.signal });
    expect(result.isCanceled).toBe(true);
    expect(result.durationMs).toBeLessThan(10_000);
  });

  it('reports a missing program without throwing', async () => {
    const result = await createExecRunner().run({ argv: ['chaosdeck-no-such-binary', '--x'] });
    expect(result.isOk).toBe(false);
    expect(result.spawnError).toMatch(/ENOENT/);
  });

  it('streams lines as they come, and masks secrets in the echo and the output', async () => {
    const runner = createExecRunner({ redact: createRedactor(['hunter22']) });
    const seen: string[] = [];
    let display = '';
    const result = await runner.run(
      { argv: ['sh', '-c', 'echo one; echo "password=hunter22"; echo three >&2', 'x', 'token=abc123secret'] },
      { observer: { onStart: (i) => (display = i.display), onLine: (stream, l) => seen.push(`${stream}:${l}`) } },
    );
    expect(result.exitCode).toBe(0);
    expect(seen).toEqual(expect.arrayContaining(['stdout:one', 'stdout:password=••••••', 'stderr:three']));
    expect(display).not.toContain('abc123secret');
    expect(result.stdout).not.toContain('hunter22');
  });

  it('in dry-run shows the command and runs nothing, except read-only ones', async () => {
    const runner = createExecRunner({ isDryRun: true });
    const dry = await runner.run({ argv: ['sh', '-c', 'exit 7'] });
    expect(dry).toMatchObject({ isDryRun: true, exitCode: 0 });
    const real = await runner.run({ argv: ['sh', '-c', 'exit 7'], isReadOnly: true });
    expect(real).toMatchObject({ isDryRun: false, exitCode: 7 });
  });
});
