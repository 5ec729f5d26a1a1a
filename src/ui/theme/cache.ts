import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Theme } from './schema';

// The YAML parser and the schema load only on a miss: a hit costs no more than reading JSON.
const loadTheme = async (name: string, themesDir: string): Promise<Theme> => (await import('./load')).loadTheme(name, themesDir);

// The deck's first frame waits for its theme, and parsing the YAML and
// validating it with zod costs 25–90 ms on a cold process here (more than a
// bare Ink app takes to draw). A theme that has been loaded once is kept,
// resolved, as JSON in the state directory and used while neither its file
// nor this code has changed since.

const CODE_FILE = fileURLToPath(import.meta.url);
const THEME_NAME = /^[a-z0-9][a-z0-9-]*$/;

interface CacheEntry {
  readonly key: string;
  readonly theme: Theme;
}

/** What a cached theme must match: the theme file's and this code's path, mtime and size. */
async function cacheKey(file: string): Promise<string | null> {
  try {
    const [themeStat, codeStat] = await Promise.all([stat(file), stat(CODE_FILE)]);
    return JSON.stringify([file, themeStat.mtimeMs, themeStat.size, CODE_FILE, codeStat.mtimeMs, codeStat.size]);
  } catch {
    return null;
  }
}

/**
 * Loads a theme like loadTheme, through a cache in `cacheDir`. A missing,
 * unreadable or stale cache entry means a full load (which reports bad names
 * and invalid files exactly as loadTheme does), and the entry is rewritten;
 * a failed write only costs the next start the full load.
 */
export async function loadThemeCached(name: string, themesDir: string, cacheDir: string): Promise<Theme> {
  if (!THEME_NAME.test(name)) return loadTheme(name, themesDir);
  const key = await cacheKey(join(themesDir, `${name}.yaml`));
  if (!key) return loadTheme(name, themesDir);
  const cacheFile = join(cacheDir, `theme-${name}.json`);
  try {
    const cached = JSON.parse(await readFile(cacheFile, 'utf8')) as Partial<CacheEntry>;
    if (cached.key === key && cached.theme && typeof cached.theme.roles === 'object') return cached.theme;
  } catch {
    // No entry yet, or one that does not parse: load the file.
  }
  const theme = await loadTheme(name, themesDir);
  // Written at once (about a millisecond, on a path that just spent tens): a
  // deck closed right after its first frame still leaves the entry behind.
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const temporary = `${cacheFile}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key, theme } satisfies CacheEntry), { mode: 0o600 });
    renameSync(temporary, cacheFile);
  } catch {
    // A read-only state directory: the next start loads the file again.
  }
  return theme;
}
