import { registerRunHook } from '../cli/run-hooks';
import { experimentLogHook } from './experiment-log';
import { learningProgressHook } from './progress-hook';

// Imported once by cli/hooks-setup.ts: learning-path progress is recorded
// from every run, and trading-exchange runs write their classic log file.

registerRunHook(learningProgressHook);
registerRunHook(experimentLogHook);
