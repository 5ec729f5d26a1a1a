import { describe, expect, it } from 'vitest';
import { homeLearning } from '../../src/cli/commands/present';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordRun } from '../../src/learn/progress';
import { HomeScreen, initialSelection } from '../../src/ui/home/HomeScreen';
import type { HomeData, HomeEntry } from '../../src/ui/home/home-data';
import { tempDir } from '../helpers';
import { mount } from './ui-harness';

const entry = (pack: string, id: string, title: string, week?: number): HomeEntry => ({ pack, file: `/scenarios/${pack}/${id}.yaml`, id, title, profiles: ['lab'], needs: ['lab driver'], week, difficulty: 'easy', duration: '5m' });

const entries = [
  entry('lab', 'db-sudden-death', 'Database sudden death', 1),
  entry('lab', 'network-partition', 'Network partition', 3),
  entry('k8s', 'network-partition', 'Partition in Kubernetes', 3),
];

const data = (learning?: HomeData['learning']): HomeData => ({ entries, pendingFaults: [], hasDoctor: false, ...(learning ? { learning } : {}) });

describe('home screen: the learning-path position', () => {
  it('shows the week and what is next, starts on it and marks it', () => {
    const home = data({ summary: 'Week 3 of 4: Resilience patterns · 4/10 done · next: Network partition', nextScenarioId: 'network-partition', nextPack: 'lab' });
    expect(initialSelection(home)).toBe(1);
    const screen = mount(<HomeScreen data={home} onOpen={() => undefined} onQuit={() => undefined} />, { columns: 100, rows: 24 });
    const frame = screen.lastFrame();
    screen.unmount();
    expect(frame).toContain('Learning path: Week 3 of 4: Resilience patterns · 4/10 done · next: Network partition');
    const rows = frame.split('\n');
    expect(rows.find((r) => r.includes('Network partition ') && !r.includes('Learning path'))).toMatch(/ next( up)?\b/);
    // Same id in another pack: not the one the path means.
    expect(rows.find((r) => r.includes('Partition in Kubernetes'))).not.toMatch(/ next( up)?\b/);
    expect(rows.find((r) => r.includes('Database sudden death'))).not.toMatch(/ next( up)?\b/);
  });

  it('shows no position line and starts on the first scenario without a path', () => {
    expect(initialSelection(data())).toBe(0);
    const screen = mount(<HomeScreen data={data()} onOpen={() => undefined} onQuit={() => undefined} />, { columns: 100, rows: 24 });
    const frame = screen.lastFrame();
    screen.unmount();
    expect(frame).not.toContain('Learning path');
    expect(frame).not.toMatch(/ next( up)?\b/);
  });
});

describe('home screen at 80×24', () => {
  it('keeps the title, environment and verdict of a scenario with a long hypothesis, wrapped without ragged indents', () => {
    const long = { ...entry('lab', 'network-partition', 'Network partition', 3), summary: 'Cut the api instances off from backend for 30 s; watch retries back off.', hypothesis: 'When the api instances cannot reach backend, the resilience patterns keep the shop answering: backendRetry retries with exponential backoff and jitter, backendCB opens after its failure threshold so further calls fail fast, users get fallback responses, and when the network heals the breaker closes on its own.', runnable: { isRunnable: true, reasons: [] } };
    const screen = mount(<HomeScreen data={{ entries: [long], pendingFaults: [], hasDoctor: true }} onOpen={() => undefined} onQuit={() => undefined} />, { columns: 80, rows: 24 });
    const rows = screen.lastFrame().split('\n');
    screen.unmount();
    expect(rows.length).toBeLessThanOrEqual(23);
    expect(rows[0]).toContain('chaosdeck');
    // The detail column starts after the list (44 columns) and its gap.
    const detail = rows.map((row) => row.slice(46));
    expect(detail).toContain('Network partition');
    expect(detail.some((row) => row.startsWith('Environment'))).toBe(true);
    expect(detail.some((row) => row.includes('doctor: runs here'))).toBe(true);
    expect(detail.filter((row) => /^ \S/.test(row))).toEqual([]);
  });
});

describe('homeLearning: the position from the state directory and the built-in path', () => {
  // A path of its own: the shipped one changes as packs grow.
  const root = tempDir('chaosdeck-home-path-');
  mkdirSync(join(root, 'lab'));
  writeFileSync(join(root, 'lab', 'first.yaml'), 'id: first\ntitle: First steps\ntags: [lab]\n');
  writeFileSync(join(root, 'lab', 'second.yaml'), 'id: second\ntitle: Second steps\ntags: [lab]\n');
  writeFileSync(join(root, 'learning-path.yaml'), [
    'title: Path', 'summary: Two weeks', 'weeks:',
    '  - { week: 1, title: Basics, goal: Start, scenarios: [{ scenario: lab/first, why: first }] }',
    '  - { week: 2, title: Patterns, goal: Go on, scenarios: [{ scenario: lab/second, why: second }] }',
  ].join('\n'));

  it('starts at week 1 with the first scenario next, and moves on when it is done', async () => {
    const stateDirectory = tempDir('chaosdeck-home-learning-');
    const fresh = await homeLearning(stateDirectory, root);
    expect(fresh).toEqual({ summary: 'Week 1 of 2: Basics · 0/2 done · next: First steps', nextScenarioId: 'first', nextPack: 'lab' });
    recordRun(stateDirectory, 'lab/first', { runId: 'r1', status: 'completed', verdict: 'PASS', at: new Date().toISOString(), environment: 'lab' });
    expect(await homeLearning(stateDirectory, root)).toEqual({ summary: 'Week 2 of 2: Patterns · 1/2 done · next: Second steps', nextScenarioId: 'second', nextPack: 'lab' });
  });

  it('says the path is unavailable, and why, when it names a missing scenario', async () => {
    const broken = tempDir('chaosdeck-home-path-');
    writeFileSync(join(broken, 'learning-path.yaml'), 'title: Path\nsummary: s\nweeks:\n  - { week: 1, title: B, goal: g, scenarios: [{ scenario: lab/missing, why: w }] }\n');
    const position = await homeLearning(tempDir(), broken);
    expect(position.summary).toMatch(/^unavailable \(.*lab\/missing/);
    expect(position.nextScenarioId).toBeUndefined();
  });
});
