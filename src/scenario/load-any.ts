import { loadScenarioFile, type LoadedScenario } from './load';

// The CLI opens any scenario through here: chaosdeck YAML today, and Chaos
// Toolkit experiments (JSON or YAML) through their importer.

/** A loader for another scenario format. */
export interface ScenarioImporter {
  readonly name: string;
  /** True when this importer should load the file (by extension or a peek at the text). */
  canLoad(file: string, text: string): boolean;
  load(file: string, text: string, cwd: string): Promise<LoadedScenario>;
}

const importers: ScenarioImporter[] = [];

/** Registers an importer (the Chaos Toolkit importer registers itself). */
export function registerImporter(importer: ScenarioImporter): void {
  if (!importers.some((i) => i.name === importer.name)) importers.push(importer);
}

/** Loads a scenario in any known format. */
export async function loadAnyScenario(file: string, cwd = process.cwd()): Promise<LoadedScenario> {
  if (importers.length > 0) {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null) {
      for (const importer of importers) if (importer.canLoad(file, text)) return importer.load(file, text, cwd);
    }
  }
  return loadScenarioFile(file, cwd);
}
