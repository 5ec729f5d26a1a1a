import { copyFileSync, existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadThemeCached } from '../../src/ui/theme/cache';
import { loadTheme } from '../../src/ui/theme/load';
import { repoRoot, tempDir, waitFor } from '../helpers';

describe('loadThemeCached', () => {
  const setup = () => {
    const themes = tempDir('chaosdeck-themes-');
    copyFileSync(join(repoRoot, 'themes', 'dark.yaml'), join(themes, 'dark.yaml'));
    const cache = join(tempDir('chaosdeck-cache-'), 'cache');
    return { themes, cache, entry: join(cache, 'theme-dark.json') };
  };

  it('loads the theme as loadTheme does and keeps it for the next start', async () => {
    const { themes, cache, entry } = setup();
    const theme = await loadThemeCached('dark', themes, cache);
    expect(theme).toEqual(await loadTheme('dark', themes));
    await waitFor(() => existsSync(entry), { message: 'the cache entry' });
    // A second load is served from the entry: an edit made to the entry shows.
    const stored = JSON.parse(readFileSync(entry, 'utf8')) as { key: string; theme: { name: string } };
    writeFileSync(entry, JSON.stringify({ ...stored, theme: { ...stored.theme, name: 'from-cache' } }));
    expect((await loadThemeCached('dark', themes, cache)).name).toBe('from-cache');
  });

  it('reloads the file when it changed since the entry was written', async () => {
    const { themes, cache, entry } = setup();
    await loadThemeCached('dark', themes, cache);
    await waitFor(() => existsSync(entry), { message: 'the cache entry' });
    const stored = JSON.parse(readFileSync(entry, 'utf8')) as { key: string; theme: { name: string } };
    writeFileSync(entry, JSON.stringify({ ...stored, theme: { ...stored.theme, name: 'stale' } }));
    const later = new Date(Date.now() + 5000);
    utimesSync(join(themes, 'dark.yaml'), later, later);
    expect((await loadThemeCached('dark', themes, cache)).name).toBe('dark');
  });

  it('ignores an entry that does not parse, and reports a bad theme as loadTheme does', async () => {
    const { themes, cache, entry } = setup();
    mkdirSync(cache, { recursive: true });
    writeFileSync(entry, '{not json');
    expect((await loadThemeCached('dark', themes, cache)).name).toBe('dark');
    await expect(loadThemeCached('nope', themes, cache)).rejects.toThrow(/unknown theme "nope"/);
    await expect(loadThemeCached('../dark', themes, cache)).rejects.toThrow(/a theme name is lowercase/);
    writeFileSync(join(themes, 'broken.yaml'), 'name: broken\npalette: {}\nroles: {}\n');
    await expect(loadThemeCached('broken', themes, cache)).rejects.toThrow(/broken\.yaml/);
  });
});
