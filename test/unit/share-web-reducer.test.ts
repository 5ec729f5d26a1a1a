import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { DeckEvent } from '../../src/engine/events';
import { reduceAll } from '../../src/engine/reducer';
import { repoRoot } from '../helpers';

// The browser follower folds events with the engine's own reducer, bundled
// into web/reducer.js (the page ships prebuilt; users need no build step).
// This test rebuilds the bundle and fails when the committed copy is stale;
// CHAOSDECK_WRITE_WEB=1 writes the fresh one.

const target = join(repoRoot, 'web', 'reducer.js');

async function bundleReducer(): Promise<string> {
  const result = await build({
    absWorkingDir: repoRoot,
    stdin: {
      contents: "export { reduce, reduceAll } from './src/engine/reducer';\nexport { initialViewState, LIMITS } from './src/engine/view-state';\n",
      resolveDir: repoRoot,
      sourcefile: 'web-reducer-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    legalComments: 'none',
    banner: { js: '// Generated from src/engine/reducer.ts by test/unit/share-web-reducer.test.ts (CHAOSDECK_WRITE_WEB=1). Do not edit.' },
  });
  return result.outputFiles[0]!.text;
}

describe('web/reducer.js', () => {
  it('is the current bundle of the engine reducer', async () => {
    const fresh = await bundleReducer();
    if (process.env.CHAOSDECK_WRITE_WEB === '1') writeFileSync(target, fresh);
    expect(readFileSync(target, 'utf8')).toBe(fresh);
  });

  it('folds a stream to the same state as the engine', async () => {
    const web = (await import(target)) as { reduceAll: typeof reduceAll };
    const events: DeckEvent[] = [
      { type: 'step.entered', t: 1, index: 0, phase: 'inject' },
      { type: 'breaker', t: 2, source: 'lab', name: 'backendCB', state: 'OPEN' },
      { type: 'log.lines', t: 3, source: 'api', lines: [{ text: 'hello' }], dropped: 0 },
    ];
    expect(web.reduceAll(events)).toEqual(reduceAll(events));
  });
});
