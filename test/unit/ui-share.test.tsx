import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App';
import type { ShareOverlayInfo } from '../../src/ui/panes/ShareOverlay';
import { injectedRun, mount, recordingController, storeWith, waitFor, type Mounted } from './ui-harness';

// A shared deck shows the room how to join: the follow URL, `token: …` and a
// QR code, first thing and again on `j`. An unshared deck offers no such key.

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

const share: ShareOverlayInfo = {
  url: 'http://127.0.0.1:7777/?token=aud1ence',
  token: 'aud1ence',
  qr: '██  ██\n  ██  ',
  qrPlain: '██  ██\n  ██  ',
  isLoopback: true,
};

function deck(withShare: boolean) {
  const store = storeWith(injectedRun());
  mounted = mount(<App run={{ store, controller: recordingController(), isAudience: true, share: withShare ? share : null }} onExit={() => undefined} />, { columns: 120, rows: 40 });
  return mounted;
}

describe('share overlay', () => {
  it('opens on the join info, closes with esc, and j shows it again', async () => {
    const deckView = deck(true);
    await waitFor(() => deckView.lastFrame().includes('Follow along'), { what: 'the join overlay' });
    expect(deckView.lastFrame()).toContain('http://127.0.0.1:7777/?token=aud1ence');
    expect(deckView.lastFrame()).toContain('token: aud1ence');
    expect(deckView.lastFrame()).toContain('██  ██');
    deckView.input.press('\x1b');
    await waitFor(() => !deckView.lastFrame().includes('Follow along'), { what: 'the overlay to close' });
    deckView.input.press('?');
    await waitFor(() => /j\s+how to join/.test(deckView.lastFrame()), { what: 'the help overlay to list j' });
    deckView.input.press('\x1b');
    await waitFor(() => !/how to join/.test(deckView.lastFrame()), { what: 'help to close' });
    deckView.input.press('j');
    await waitFor(() => deckView.lastFrame().includes('Follow along'), { what: 'j to reopen it' });
  });

  it('is not offered when the run is not shared', async () => {
    const deckView = deck(false);
    await waitFor(() => deckView.lastFrame().includes('INJECT'), { what: 'the deck' });
    deckView.input.press('j');
    deckView.input.press('?');
    await waitFor(() => deckView.lastFrame().includes('help') || deckView.lastFrame().includes('Help'), { what: 'help' });
    expect(deckView.lastFrame()).not.toContain('Follow along');
    expect(deckView.lastFrame()).not.toContain('how to join');
  });
});
