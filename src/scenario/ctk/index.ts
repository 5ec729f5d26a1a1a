import { registerImporter } from '../load-any';
import { displayPathOf } from './paths';
import { importCtkExperiment, looksLikeCtkExperiment } from './import';

// Chaos Toolkit experiments load wherever scenarios load (run, present,
// validate) once this module is imported: it registers the importer.

export { importCtkExperiment, looksLikeCtkExperiment, type CtkImportOptions, type ImportedExperiment } from './import';
export { ctkRequirements, type CtkRequirements } from './requirements';
export { unsupportedActivities, unsupportedRefusal, type UnsupportedActivity } from './unsupported';

registerImporter({
  name: 'chaostoolkit',
  canLoad: looksLikeCtkExperiment,
  async load(file, text, cwd) {
    return { ...importCtkExperiment(displayPathOf(file, cwd), text, { originPath: file }), file };
  },
});
