import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { createRedactor } from '../../src/engine/redact';
import { createRecorder, isRecordingFile } from '../../src/record/recorder';
import { readRecording } from '../../src/record/reader';
import { tempDir } from '../helpers';
import { sampleRun, scenario } from './record-helpers';

// The recorder writes each event as it comes (a crash keeps everything so far)
// and masks secrets — the profile's own values and the well-known shapes — in
// the header and every event, object keys included.

const terminal = { columns: 132, rows: 40 };

function recorder(target: string, secrets: string[] = []) {
  return createRecorder({ target, cwd: tempDir(), terminal, chaosdeckVersion: '9.9.9', redact: createRedactor(secrets) });
}

describe('createRecorder', () => {
  it('has every event on disk as soon as the sink returns, before close', async () => {
    const dir = tempDir();
    const rec = recorder(dir);
    const events = sampleRun();
    for (const event of events.slice(0, 10)) rec.sink(event);
    // No close: as after a kill -9.
    const recording = await readRecording(rec.path()!);
    expect(recording.events).toEqual(events.slice(0, 10));
    expect(recording.header).toMatchObject({ runId: 'cache-outage-test', terminal, chaosdeckVersion: '9.9.9', scenario: { id: 'cache-outage' } });
    rec.close();
    rec.close();
  });

  it('names the file after the run in a directory, and never overwrites one', () => {
    const dir = tempDir();
    const first = recorder(dir);
    const second = recorder(dir);
    first.sink(sampleRun()[0]!);
    second.sink(sampleRun()[0]!);
    first.close();
    second.close();
    expect(readdirSync(dir).sort()).toEqual(['cache-outage-test-2.jsonl', 'cache-outage-test.jsonl']);
  });

  it.each([
    ['a path ending in .jsonl', 'runs/today.jsonl', true],
    ['a path ending in a slash', 'runs/', false],
    ['a path without an extension', 'runs', false],
  ])('treats %s as a file: %s', (_, target, isFile) => {
    const dir = tempDir();
    expect(isRecordingFile(join(dir, target))).toBe(isFile);
  });

  it('writes to a named file, creating its folder', async () => {
    const file = join(tempDir(), 'nested', 'run.jsonl');
    const rec = recorder(file);
    for (const event of sampleRun()) rec.sink(event);
    rec.close();
    expect((await readRecording(file)).events).toHaveLength(sampleRun().length);
  });

  it('ignores events before run.started (a sink attached late starts with the next run)', () => {
    const dir = tempDir();
    mkdirSync(dir, { recursive: true });
    const rec = recorder(dir);
    rec.sink({ t: 1, type: 'notice', level: 'info', text: 'early' });
    expect(rec.path()).toBeNull();
    rec.close();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps seeded secrets out of the file: header, values, keys and well-known shapes', () => {
    const token = 'tok-4f1b9c2e77d0a5';
    const password = 'hunter2-very-secret';
    const dir = tempDir();
    const rec = recorder(dir, [token, password]);
    const started = sampleRun()[0] as Extract<DeckEvent, { type: 'run.started' }>;
    rec.sink({ ...started, scenario: { ...scenario, title: `Outage with ${token}` }, runId: 'secret-run' });
    rec.sink({ t: 5, type: 'command.started', actionId: 'a', commandId: 'c', argv: ['curl', '-H', `Authorization: Bearer ${token}`], display: `curl --password ${password}`, isShell: false, isDryRun: false });
    rec.sink({ t: 6, type: 'command.output', commandId: 'c', stream: 'stdout', lines: [`db password=${password}`, '-----BEGIN RSA PRIVATE KEY-----', 'AKIAABCDEFGHIJKLMNOP']});
    rec.sink({ t: 7, type: 'metric', source: 'x', name: 'm', value: 1, labels: { [token]: 'label key' } });
    rec.sink({ t: 8, type: 'action.finished', actionId: 'a', status: 'ok', durationMs: 1, output: { nested: [{ deep: `x${password}y` }] } });
    rec.close();
    const text = readFileSync(rec.path()!, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(password);
    expect(text).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(text).toContain('••••••');
    expect(text.split('\n').filter(Boolean)).toHaveLength(6);
    expect(existsSync(rec.path()!)).toBe(true);
  });
});
