// Bundles each entry point into dist/ with esbuild. One bundle starts about twice
// as fast as the unbundled module graph (Ink's es-toolkit import alone costs ~150 ms).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entries = {
  cli: 'src/cli/main.ts',
  'lab-supervisor': 'src/lab/supervisor-main.ts',
  'lab-service': 'src/lab/service-main.ts',
};
const present = Object.fromEntries(
  Object.entries(entries).filter(([, file]) => existsSync(join(root, file))),
);
const stub = join(root, 'dist', 'devtools-stub.js');
mkdirSync(dirname(stub), { recursive: true });
// Ink imports react-devtools-core only when DEV is set; the stub keeps it out of the bundle.
writeFileSync(stub, 'export default {};\nexport const connectToDevTools = () => {};\n');

await build({
  absWorkingDir: root,
  entryPoints: present,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Chunks load on demand, so a command compiles only the code it uses.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: 'linked',
  logLevel: 'warning',
  alias: { 'react-devtools-core': stub },
  define: { 'process.env.NODE_ENV': '"production"', __CHAOSDECK_VERSION__: JSON.stringify(version) },
  // CommonJS dependencies (ssh2, ws, prom-client) use require() and __dirname; ESM output needs both.
  banner: {
    js: [
      "import { createRequire as __chaosdeckCreateRequire } from 'node:module';",
      "import { fileURLToPath as __chaosdeckFileURLToPath } from 'node:url';",
      "import { dirname as __chaosdeckDirname } from 'node:path';",
      'const require = __chaosdeckCreateRequire(import.meta.url);',
      'const __filename = __chaosdeckFileURLToPath(import.meta.url);',
      'const __dirname = __chaosdeckDirname(__filename);',
    ].join(' '),
  },
  external: ['cpu-features', '*.node', 'playwright-core'],
});

// The browser follower folds events with the engine's own reducer: bundled here
// for the page in web/, so it can never drift from the deck's.
await build({
  absWorkingDir: root,
  stdin: {
    contents: "export { reduce, reduceAll } from './src/engine/reducer';\nexport { initialViewState, LIMITS } from './src/engine/view-state';\n",
    resolveDir: root,
    sourcefile: 'web-reducer-entry.ts',
    loader: 'ts',
  },
  outfile: 'web/reducer.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: '// Generated from src/engine/reducer.ts by scripts/build.mjs. Do not edit.' },
});
