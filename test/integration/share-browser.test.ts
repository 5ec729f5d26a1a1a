import { existsSync, rmSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers';
import { demoRunStarted, startPresenter, type PresenterSide } from './share-helpers';

// The browser follower in Debian's headless Chromium, driven by
// playwright-core: the page served by the share server follows a phase change
// and a breaker flip live, shows the latency chart, the status table, the
// command line and the log tail, and fits a phone's width.

const CHROMIUM = process.env.CHAOSDECK_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`share-browser: skipped — chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHAOSDECK_CHROMIUM)`);

let presenter: PresenterSide;
let context: BrowserContext;
let profile: string;

describe.skipIf(!hasChromium)('share: browser follower page (chromium)', () => {
  beforeAll(async () => {
    presenter = await startPresenter();
    profile = tempDir('chaosdeck-chromium-');
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 390, height: 844 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await presenter?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function openPage(): Promise<{ page: Page; errors: string[] }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    await page.goto(presenter.server.info.url);
    return { page, errors };
  }

  it('shows a phase change and a breaker flip live', async () => {
    const { bus } = presenter;
    bus.emit(await demoRunStarted());
    bus.emit({ type: 'step.entered', index: 0, phase: 'baseline' });
    bus.emit({ type: 'breaker', source: 'lab', name: 'backendCB', state: 'CLOSED' });
    bus.emit({ type: 'status', source: 'lab', targets: [{ name: 'api-1', state: 'running', isReady: true, restarts: 0 }] });
    for (let i = 0; i < 5; i++) bus.emit({ type: 'latency', source: 'load', p50: 20 + i, p95: 40 + i, p99: 60 + i, rps: 50, errorRate: 0 });

    const { page, errors } = await openPage();
    await page.locator('#connection[data-state="live"]').waitFor();
    await expect.poll(() => page.locator('#phase').textContent()).toBe('BASELINE');
    await expect.poll(() => page.locator('[data-breaker="backendCB"]').getAttribute('data-state')).toBe('CLOSED');
    await expect.poll(() => page.locator('#step-title').textContent()).toBe('The flag is down');
    expect(await page.locator('#notes').textContent()).toContain('what normal looks like');
    // The audience page never gets talking points.
    expect(await page.locator('#say-block').isHidden()).toBe(true);

    bus.emit({ type: 'step.entered', index: 1, phase: 'inject' });
    bus.emit({ type: 'action.started', actionId: 'a1', step: 1, target: 'flag', verb: 'exec', driver: 'shell', summary: 'raise the flag', isProbe: false });
    bus.emit({ type: 'command.started', actionId: 'a1', commandId: 'c1', argv: ['touch', '/tmp/flag'], display: 'touch /tmp/flag', isShell: false, isDryRun: false });
    bus.emit({ type: 'breaker', source: 'lab', name: 'backendCB', state: 'OPEN', failureRate: 75 });
    bus.emit({ type: 'status', source: 'lab', targets: [{ name: 'api-1', state: 'exited', isReady: false, restarts: 1 }] });
    bus.emit({ type: 'log.lines', source: 'api-2', dropped: 0, lines: [{ text: 'CircuitBreaker backendCB changed state from CLOSED to OPEN' }, { text: '<img src=x onerror=alert(1)>' }] });
    bus.emit({ type: 'latency', source: 'load', p50: 300, p95: 900, p99: 1500, rps: 40, errorRate: 0.2 });

    await expect.poll(() => page.locator('#phase').textContent()).toBe('INJECT');
    await expect.poll(() => page.locator('#phase').getAttribute('data-phase')).toBe('inject');
    await expect.poll(() => page.locator('[data-breaker="backendCB"]').getAttribute('data-state')).toBe('OPEN');
    await expect.poll(() => page.locator('[data-breaker="backendCB"] .badge').textContent()).toBe('OPEN');
    await expect.poll(() => page.locator('#step-title').textContent()).toBe('Raise the flag');
    await expect.poll(() => page.locator('#commands code').first().textContent()).toBe('$ touch /tmp/flag');
    await expect.poll(() => page.locator('tr[data-target="api-1"]').getAttribute('data-ready')).toBe('no');
    await expect.poll(() => page.locator('#logs').textContent()).toContain('changed state from CLOSED to OPEN');
    // Log text is text: no element was made from it.
    expect(await page.locator('#logs img').count()).toBe(0);
    expect(await page.locator('#chart polyline').count()).toBe(3);
    expect(await page.locator('#latency-now').textContent()).toContain('p95 900 ms');
    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so when the token is wrong', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${presenter.base}?token=wrong`);
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toContain('needs its token');
    await page.close();
  });
});
