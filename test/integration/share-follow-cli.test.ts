import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/command';
import { main } from '../../src/cli/main';
import type { DeckEvent } from '../../src/engine/events';
import { tempDir, waitFor } from '../helpers';
import { demoRunStarted, startPresenter, type PresenterSide } from './share-helpers';

// `chaosdeck follow` as a command, in-process with its own streams: the
// notes view refuses the audience token, a wrong token is a usage error, and
// without a terminal it prints the snapshot and then each live event once.

let presenter: PresenterSide | null = null;
afterEach(async () => {
  await presenter?.close();
  presenter = null;
});

function io(): { io: CliIo; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: { ...process.env, NO_COLOR: '1' }, cwd: process.cwd() }, out: () => out, err: () => err };
}

describe('chaosdeck follow', () => {
  it('refuses the notes view to the audience token and a wrong token', async () => {
    presenter = await startPresenter();
    const { server, base } = presenter;
    const notes = io();
    expect(await main(['follow', base, '--notes', '--token', server.tokens.audience], notes.io)).toBe(2);
    expect(notes.err()).toMatch(/403/);
    expect(notes.out()).toBe('');
    const wrong = io();
    expect(await main(['follow', `${base}?token=wrong`], wrong.io)).toBe(2);
    expect(wrong.err()).toMatch(/401/);
    const none = io();
    expect(await main(['follow', base], none.io)).toBe(2);
    expect(none.err()).toMatch(/token is required/);
  });

  it('prints the snapshot, then each live event once, until the presenter stops sharing', async () => {
    presenter = await startPresenter();
    const { server, bus } = presenter;
    bus.emit(await demoRunStarted());
    bus.emit({ type: 'step.entered', index: 0, phase: 'baseline' });
    const follower = io();
    const exited = main(['follow', server.info.url, '--json'], follower.io);
    await waitFor(() => follower.out().includes('"snapshot"'), { message: 'the snapshot line' });
    bus.emit({ type: 'step.entered', index: 1, phase: 'inject' });
    bus.emit({ type: 'breaker', source: 'lab', name: 'backendCB', state: 'OPEN' });
    await waitFor(() => follower.out().includes('backendCB'), { message: 'the live events' });
    await presenter.close();
    presenter = null;
    expect(await exited).toBe(0);
    const lines = follower.out().trim().split('\n').map((l) => JSON.parse(l) as { snapshot?: { currentStep: number; run: { scenario: { steps: { say: string[] }[] } } } } & Partial<DeckEvent>);
    expect(lines[0]!.snapshot!.currentStep).toBe(0);
    expect(lines[0]!.snapshot!.run.scenario.steps.every((s) => s.say.length === 0)).toBe(true);
    expect(lines.slice(1).map((l) => l.type)).toEqual(['step.entered', 'breaker']);
  });

  it('`run --share` serves the run and prints the follow URL, the token and a QR code', async () => {
    const presenterIo = io();
    const env = { ...presenterIo.io.env, XDG_STATE_HOME: tempDir() };
    const exited = main(['run', 'demo/shell-marker', '--share', '--bind', '127.0.0.1:0', '--auto', '--dry-run', '--no-record', '--json'], { ...presenterIo.io, env });
    expect(await exited).toBe(0);
    const err = presenterIo.err();
    expect(err).toMatch(/^follow: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{22}$/m);
    expect(err).toMatch(/^token: [A-Za-z0-9_-]{22}$/m);
    expect(err).toMatch(/^presenter notes: chaosdeck follow http:\/\/127\.0\.0\.1:\d+\/ --notes --token [A-Za-z0-9_-]{22}$/m);
    expect(err).toContain('▄▄▄▄▄▄▄');
    expect(err).not.toMatch(/warning/);
    const bindOnly = io();
    expect(await main(['run', 'demo/shell-marker', '--bind', '127.0.0.1:0', '--auto', '--dry-run', '--no-record', '--json'], { ...bindOnly.io, env })).toBe(0);
    expect(bindOnly.err()).toContain('--bind has no effect without --share');
  });
});
