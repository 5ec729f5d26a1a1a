import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DeckError } from '../../engine/errors';
import { resolveTheme, ThemeFileSchema, type Theme } from './schema';

// Themes live in themes/*.yaml next to the package; the CLI says where that is.

export { chooseThemeName, DEFAULT_THEME } from './choose';

/** Validates one theme's YAML text; a bad file is a USAGE error naming the file and each problem. */
export function parseTheme(file: string, text: string): Theme {
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new DeckError('USAGE', `${file}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const result = ThemeFileSchema.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new DeckError('USAGE', problems.join('\n'));
  }
  return resolveTheme(result.data);
}

/** Lists the theme names in a directory. */
export async function listThemes(themesDir: string): Promise<string[]> {
  const files = await readdir(themesDir).catch(() => [] as string[]);
  return files.filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();
}

/** Loads `themesDir/<name>.yaml`; an unknown name is a USAGE error listing the themes there are. */
export async function loadTheme(name: string, themesDir: string): Promise<Theme> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new DeckError('USAGE', `theme "${name}": a theme name is lowercase letters, digits and dashes`);
  const file = join(themesDir, `${name}.yaml`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const known = await listThemes(themesDir);
    throw new DeckError('USAGE', `unknown theme "${name}"; themes: ${known.join(', ') || `none found in ${themesDir}`}`, { cause: error });
  }
  return parseTheme(file, text);
}
