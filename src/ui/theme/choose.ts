// Which theme to use, decided before anything is parsed: kept apart from the
// loader so the deck's first frame need not compile YAML and zod.

/** The theme used when nothing asks for another. */
export const DEFAULT_THEME = 'dark';

/**
 * Picks a theme name: `--theme` wins, then NO_COLOR (https://no-color.org)
 * forces mono, then CHAOSDECK_THEME, then the default.
 */
export function chooseThemeName(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'mono';
  if (env.CHAOSDECK_THEME) return env.CHAOSDECK_THEME;
  return DEFAULT_THEME;
}
