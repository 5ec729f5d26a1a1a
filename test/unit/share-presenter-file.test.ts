import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPresenterToken, removePresenterShare, writePresenterShare } from '../../src/share/presenter-file';
import { tempDir } from '../helpers';

// The deck never prints the presenter token; it leaves it where only this
// user can read it, for `chaosdeck follow URL --notes` on the same machine.

describe('presenter token file', () => {
  it('is readable by its owner only, matches its share, and goes when the share closes', () => {
    const state = tempDir();
    writePresenterShare(state, 'http://127.0.0.1:7777/', 'pres3nter');
    expect(statSync(join(state, 'share', '7777.json')).mode & 0o777).toBe(0o600);
    expect(readPresenterToken(state, 'http://127.0.0.1:7777/')).toBe('pres3nter');
    expect(readPresenterToken(state, 'http://127.0.0.1:7778/')).toBeNull();
    expect(readPresenterToken(state, 'http://10.0.0.5:7777/')).toBeNull();
    removePresenterShare(state, 'http://127.0.0.1:7777/');
    expect(readPresenterToken(state, 'http://127.0.0.1:7777/')).toBeNull();
  });
});
