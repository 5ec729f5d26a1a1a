import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDeckError } from '../../src/engine/errors';
import { describeProblem, readRecording } from '../../src/record/reader';
import { tempDir } from '../helpers';
import { header, recordingText, sampleRun } from './record-helpers';

// A recording cut short by a crash, or damaged later, loads up to the first bad
// line, and that line is named `file:LINE: …`.

const events = sampleRun();
const lines = recordingText(events).split('\n');

function write(text: string): string {
  const file = join(tempDir(), 'run.jsonl');
  writeFileSync(file, text);
  return file;
}

describe('readRecording', () => {
  it('reads a whole recording: the header, then every event in order', async () => {
    const recording = await readRecording(write(recordingText(events)));
    expect(recording.header).toEqual(header);
    expect(recording.events).toEqual(events);
    expect(recording.problem).toBeNull();
  });

  it('reads a recording whose last line has no newline', async () => {
    const recording = await readRecording(write(recordingText(events).trimEnd()));
    expect(recording.events).toHaveLength(events.length);
    expect(recording.problem).toBeNull();
  });

  it.each<[string, (all: string[]) => string, number, number, RegExp]>([
    // [what, damage, events kept, bad line (1-based), message]
    ['a line cut off by a kill', (all) => `${all.slice(0, 30).join('\n')}\n${all[30]!.slice(0, 25)}`, 29, 31, /truncated: the recording ends in the middle of an event/],
    ['garbage in the middle', (all) => [...all.slice(0, 12), '{"t": 5, "type": "latency", oops', ...all.slice(12)].join('\n'), 11, 13, /not JSON/],
    ['an event that breaks the schema', (all) => [...all.slice(0, 20), JSON.stringify({ t: 9_999, type: 'latency', source: 'x', p50: 'fast' }), ...all.slice(20)].join('\n'), 19, 21, /not a valid 'latency' event: p50: /],
    ['an unknown event type', (all) => [...all.slice(0, 5), JSON.stringify({ t: 10, type: 'frobnicate' }), ...all.slice(5)].join('\n'), 4, 6, /not a valid 'frobnicate' event/],
    ['time running backwards', (all) => [...all.slice(0, 40), JSON.stringify({ t: 1, type: 'notice', level: 'info', text: 'late' }), ...all.slice(40)].join('\n'), 39, 41, /time runs backwards/],
  ])('loads up to %s and names the line', async (_, damage, kept, line, message) => {
    const file = write(damage(lines));
    const recording = await readRecording(file);
    expect(recording.events).toEqual(events.slice(0, kept));
    expect(recording.problem).toMatchObject({ file, line });
    expect(describeProblem(recording.problem!)).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: `));
    expect(recording.problem!.message).toMatch(message);
  });

  it.each([
    ['an empty file', '', /:1: empty recording/],
    ['a file that is not JSON', 'hello\n', /:1: not a chaosdeck recording/],
    ['JSON of another format', '{"version":2,"width":80,"height":24}\n', /:1: not a chaosdeck recording \(the header's format is null/],
    ['a header with a missing field', `${JSON.stringify({ ...header, terminal: undefined })}\n`, /:1: bad recording header: terminal/],
  ])('refuses %s with RECORDING_INVALID at line 1', async (_, text, message) => {
    const error = await readRecording(write(text)).catch((e: unknown) => e);
    expect(isDeckError(error, 'RECORDING_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('says FILE_NOT_FOUND for a missing file', async () => {
    const error = await readRecording(join(tempDir(), 'nope.jsonl')).catch((e: unknown) => e);
    expect(isDeckError(error, 'FILE_NOT_FOUND')).toBe(true);
  });

  it('hands events over in batches, in order', async () => {
    const batches: number[] = [];
    const seen: unknown[] = [];
    await readRecording(write(recordingText(events)), { batchSize: 7, onBatch: (b) => { batches.push(b.length); seen.push(...b); } });
    expect(seen).toEqual(events);
    expect(batches.slice(0, -1).every((n) => n === 7)).toBe(true);
  });
});
