import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeckError } from '../engine/errors';
import { loadScenarioFile, type LoadedScenario } from './load';

// Where scenarios and environment profiles live: scenarios/<pack>/*.yaml, with
// profiles in scenarios/<pack>/profiles/*.yaml. The packs ship in the package;
// a path on the command line may point anywhere.

const isYaml = (f: string) => ['.yaml', '.yml'].includes(extname(f));

/** The scenarios folder shipped with chaosdeck. */
export function builtinScenarioRoot(): string {
  // dist/cli.js and src/scenario/catalog.ts are both two levels below the package root.
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, '..', 'scenarios'), join(here, '..', '..', 'scenarios')]) {
    if (existsSync(candidate)) return resolve(candidate);
  }
  return resolve(here, '..', 'scenarios');
}

/** One scenario in the catalog. */
export interface CatalogEntry {
  readonly pack: string;
  readonly file: string;
  readonly loaded: LoadedScenario | null;
  /** Set when the file does not load; validate reports it in full. */
  readonly error?: string;
  /** Profile names available for its pack. */
  readonly profiles: readonly string[];
}

/** Profile files of a pack by name. */
export function packProfiles(packDir: string): Map<string, string> {
  const dir = join(packDir, 'profiles');
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).filter(isYaml).sort()) out.set(basename(f, extname(f)), join(dir, f));
  return out;
}

/** Scenario files of a pack. */
export function packScenarioFiles(packDir: string): string[] {
  // learning-path.yaml sits beside the packs in the scenarios root and is not a scenario.
  return readdirSync(packDir).filter((f) => isYaml(f) && !f.startsWith('_') && f !== 'learning-path.yaml').sort().map((f) => join(packDir, f));
}

/** Every pack folder under a root. */
export function packDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).map((d) => join(root, d)).filter((d) => statSync(d).isDirectory()).sort();
}

/** Loads every scenario under a root; files that fail to load are listed with their error. */
export async function listScenarios(root = builtinScenarioRoot()): Promise<CatalogEntry[]> {
  const out: CatalogEntry[] = [];
  for (const dir of packDirs(root)) {
    const profiles = [...packProfiles(dir).keys()];
    for (const file of packScenarioFiles(dir)) {
      try {
        out.push({ pack: basename(dir), file, loaded: await loadScenarioFile(file), profiles });
      } catch (error) {
        out.push({ pack: basename(dir), file, loaded: null, error: error instanceof Error ? error.message : String(error), profiles });
      }
    }
  }
  return out;
}

/** Finds a scenario by path, or by id (`lab-failover`) or `pack/id` in the built-in packs. */
export async function resolveScenarioPath(reference: string, cwd: string, root = builtinScenarioRoot()): Promise<string> {
  const direct = isAbsolute(reference) ? reference : resolve(cwd, reference);
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  const [pack, id] = reference.includes('/') ? reference.split('/', 2) as [string, string] : [undefined, reference];
  for (const dir of packDirs(root)) {
    if (pack && basename(dir) !== pack) continue;
    for (const file of packScenarioFiles(dir)) {
      if (basename(file, extname(file)) === id) return file;
    }
  }
  throw new DeckError('FILE_NOT_FOUND', `no scenario '${reference}': not a file, and no built-in scenario has that id (see \`chaosdeck list\`)`);
}

/** Finds an environment profile by path or by name in the scenario's pack (`lab`, `template`); the pack's default when omitted. */
export function resolveProfilePath(reference: string | undefined, scenarioFile: string, cwd: string): string | null {
  const profiles = packProfiles(dirname(scenarioFile));
  if (reference === undefined) {
    return profiles.get('default') ?? profiles.get('lab') ?? (profiles.size === 1 ? [...profiles.values()][0]! : null);
  }
  const direct = isAbsolute(reference) ? reference : resolve(cwd, reference);
  if (existsSync(direct) && statSync(direct).isFile()) return direct;
  const named = profiles.get(reference);
  if (named) return named;
  throw new DeckError('FILE_NOT_FOUND', `no environment profile '${reference}': not a file, and the pack has ${[...profiles.keys()].join(', ') || 'no profiles'}`);
}
