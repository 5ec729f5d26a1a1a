import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The browser follower ships prebuilt in web/ (plain HTML, CSS and JS, no
// build step). It is found beside the package whether the CLI runs from the
// bundle (dist/cli.js) or from source (src/share/web-root.ts).

/** The files the page is made of, with their content types. */
export const WEB_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
  'reducer.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

/** The web/ folder shipped with chaosdeck. */
export function builtinWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'web'), join(here, '..', '..', 'web')]) {
    if (existsSync(join(candidate, 'index.html'))) return resolve(candidate);
  }
  return resolve(here, '..', '..', 'web');
}

/** Reads every page file once; a missing file is an error naming the folder. */
export async function loadWebFiles(root: string): Promise<Map<string, { type: string; body: Buffer }>> {
  const files = new Map<string, { type: string; body: Buffer }>();
  for (const [name, type] of Object.entries(WEB_FILES)) {
    try {
      files.set(name, { type, body: await readFile(join(root, name)) });
    } catch (error) {
      throw new Error(`the follower page is missing ${name} in ${root}`, { cause: error });
    }
  }
  return files;
}
