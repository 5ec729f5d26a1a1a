import { relative } from 'node:path';

/** The path shown in messages: relative to `cwd` when the file is under it, as the YAML loader shows it. */
export function displayPathOf(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}
