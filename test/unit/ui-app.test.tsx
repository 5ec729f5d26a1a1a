import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/App';
import { injectedRun, mount, recordingController, storeWith, type Mounted } from './ui-harness';

let mounted: Mounted | undefined;
afterEach(() => mounted?.unmount());

describe('the deck at several terminal sizes', () => {
  it.each([
    [80, 24],
    [120, 40],
    [200, 60],
  ])('%i×%i shows every pane, the instance down and the breaker OPEN, one row short of the terminal', (columns, rows) => {
    const store = storeWith(injectedRun());
    mounted = mount(<App run={{ store, controller: recordingController(), isAudience: false }} onExit={() => {}} />, { columns, rows });
    const frame = mounted.lastFrame();
    const lines = frame.split('\n');
    expect(lines.length).toBe(rows - 1);
    for (const line of lines) expect(Array.from(line).length).toBeLessThanOrEqual(columns);
    for (const title of ['Notes', 'Steps', 'Commands', 'Logs', 'Status', 'Latency', 'Breakers']) expect(frame).toContain(title);
    expect(frame).toContain('INJECT');
    expect(frame).toContain('step 2/4');
    expect(frame).toContain('1 fault injected');
    expect(frame).toContain('LIVE');
    expect(frame).toMatch(/api-2\s+stopped\s+NO/);
    expect(frame).toContain('OPEN');
    expect(frame).toContain('$ POST http://127.0.0.1:7070/services/api-2/');
  });
});
