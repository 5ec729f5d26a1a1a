import { afterEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/cli/session';
import { audienceState } from '../../src/share/audience';
import type { Follower } from '../../src/share/follower';
import { tempDir, waitFor } from '../helpers';
import { startFollowers, startPresenter, stateOf, waitForHead, type PresenterSide } from './share-helpers';

// The terminal protocol end to end: a real run of the demo scenario on the
// presenter's side, followers over real WebSockets on loopback.

let presenter: PresenterSide | null = null;
let followers: Follower[] = [];

afterEach(async () => {
  for (const f of followers) f.close();
  followers = [];
  await presenter?.close();
  presenter = null;
});

async function runDemo(side: PresenterSide, onEvent: (count: number) => void = () => undefined): Promise<void> {
  let count = 0;
  const session = await openSession({
    scenario: 'demo/shell-marker',
    cwd: process.cwd(),
    processEnv: { ...process.env, CHAOSDECK_STATE_DIR: tempDir() },
    stateDir: tempDir(),
    mode: 'live',
    isAuto: true,
    pace: 0.05,
    host: { confirm: async () => true },
    sinks: [side.server.sink, (event) => side.store.dispatch(event), () => onEvent(++count)],
  });
  const outcome = await session.run.controller.done;
  await session.close();
  expect(outcome.status).toBe('completed');
}

describe('share: terminal-protocol followers', () => {
  it('50 followers all reach the presenter\'s final state', async () => {
    presenter = await startPresenter();
    followers = await startFollowers(50, { url: presenter.server.info.url });
    await runDemo(presenter);
    await waitForHead(presenter.server, followers);

    presenter.store.flush();
    const final = presenter.store.getSnapshot();
    expect(final.status).toBe('completed');
    expect(final.run?.scenario.steps.some((s) => s.say.length > 0)).toBe(true);
    const expected = audienceState(final);
    for (const follower of followers) {
      expect(follower.status().phase).toBe('live');
      expect(follower.status().duplicatesSkipped).toBe(0);
      expect(stateOf(follower)).toEqual(expected);
    }
    // The audience stream never carried a talking point.
    expect(stateOf(followers[0]!).run?.scenario.steps.every((s) => s.say.length === 0)).toBe(true);
  });

  it('a late joiner starts from a snapshot equal to the live state; the presenter stream keeps talking points', async () => {
    presenter = await startPresenter();
    await runDemo(presenter);
    const [audience] = await startFollowers(1, { url: presenter.server.info.url });
    const [notes] = await startFollowers(1, { url: presenter.base, token: presenter.server.tokens.presenter, role: 'presenter' });
    followers = [audience!, notes!];
    presenter.store.flush();
    const final = presenter.store.getSnapshot();
    expect(stateOf(notes!)).toEqual(final);
    expect(stateOf(audience!)).toEqual(audienceState(final));
    expect(notes!.status().role).toBe('presenter');
  });

  it('a follower whose connection breaks mid-run resumes without duplicates or gaps', async () => {
    presenter = await startPresenter();
    const [steady, broken] = await startFollowers(2, { url: presenter.server.info.url, retryMs: { first: 20, max: 200 } });
    followers = [steady!, broken!];
    let breaks = 0;
    await runDemo(presenter, (count) => {
      // Break it twice while events keep coming; the bus delivers synchronously, so this is mid-stream.
      if (count === 10 || count === 30) {
        breaks++;
        broken!.interrupt();
      }
    });
    expect(breaks).toBe(2);
    await waitFor(() => broken!.status().phase === 'live' && broken!.status().reconnects >= 2, { message: 'two reconnects' });
    await waitForHead(presenter.server, followers);
    expect(broken!.status().resumes).toBe(broken!.status().reconnects);
    expect(broken!.status().duplicatesSkipped).toBe(0);
    expect(stateOf(broken!)).toEqual(stateOf(steady!));
    presenter.store.flush();
    expect(stateOf(broken!)).toEqual(audienceState(presenter.store.getSnapshot()));
  });
});
