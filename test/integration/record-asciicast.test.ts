import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempDir } from '../helpers';

// `chaosdeck export --asciicast` draws the deck's own frames; asciinema's own
// reader must accept the file. asciinema 2.x `cat` reads keys from /dev/tty,
// so it runs under util-linux `script`, which gives it a pseudo-terminal.

const has = (binary: string) => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
const missing = ['asciinema', 'script'].filter((b) => !has(b));
const reason = missing.length ? `needs ${missing.join(' and ')} (apt-get install asciinema util-linux)` : '';

function asciinemaCat(cast: string): { status: number | null; output: string } {
  const result = spawnSync('script', ['-qec', `asciinema cat ${JSON.stringify(cast)}`, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(missing.length > 0)(`asciicast export ${reason}`, () => {
  it('writes asciicast v2 from the deck\'s frames, with a marker per phase, that `asciinema cat` accepts', async () => {
    const cwd = tempDir();
    const run = spawnCli(['run', 'demo/shell-marker', '--auto', '--record', 'demo.jsonl'], { cwd, env: { XDG_STATE_HOME: tempDir(), COLUMNS: '100', LINES: '30' } });
    expect(await run.exited).toBe(0);
    const exported = spawnCli(['export', 'demo.jsonl', '--asciicast', 'demo.cast'], { cwd });
    expect(await exported.exited).toBe(0);

    const lines = readFileSync(join(cwd, 'demo.cast'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    const [header, ...events] = lines as [Record<string, unknown>, ...[number, string, string][]];
    expect(header).toMatchObject({ version: 2, width: 100, height: 30, title: 'Demo: a fault you can touch — local' });
    expect(typeof header.timestamp).toBe('number');
    expect(events.filter(([, type]) => type === 'm').map(([, , label]) => label.split(':')[0])).toEqual(['baseline', 'inject', 'observe', 'restore']);
    const times = events.map(([t]) => t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(events.filter(([, type]) => type === 'o').length).toBeGreaterThan(1);

    const cat = asciinemaCat(join(cwd, 'demo.cast'));
    expect(cat.status, cat.output).toBe(0);
    expect(cat.output).toContain('REPLAY');
    expect(cat.output).toContain('Demo: a fault you can touch');
    expect(cat.output).toContain('RESTORE');
  });

  it('asciinema refuses a damaged cast (so the check above means something)', () => {
    const cast = join(tempDir(), 'bad.cast');
    writeFileSync(cast, '{"version": 2, "width": 80\n[0, "o", "x"]\n');
    expect(asciinemaCat(cast).status).not.toBe(0);
  });

  it('exports what a truncated recording holds, up to the bad line', async () => {
    const cwd = tempDir();
    const run = spawnCli(['run', 'demo/shell-marker', '--auto', '--record', 'demo.jsonl'], { cwd, env: { XDG_STATE_HOME: tempDir() } });
    expect(await run.exited).toBe(0);
    const text = readFileSync(join(cwd, 'demo.jsonl'), 'utf8');
    writeFileSync(join(cwd, 'cut.jsonl'), text.slice(0, Math.floor(text.length * 0.6)));
    const exported = spawnCli(['export', 'cut.jsonl', '--asciicast', 'cut.cast'], { cwd });
    expect(await exported.exited).toBe(0);
    expect(exported.stderr()).toMatch(/cut\.jsonl:\d+: truncated/);
    expect(asciinemaCat(join(cwd, 'cut.cast')).status).toBe(0);
    expect(readdirSync(cwd)).toContain('cut.cast');
  });
});
