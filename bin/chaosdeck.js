#!/usr/bin/env node
// The CLI runs from one esbuild bundle; `npm install` builds it (the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('chaosdeck: dist/cli.js is missing; run `npm run build` first.\n');
  process.exit(2);
}
await import(bundle);
