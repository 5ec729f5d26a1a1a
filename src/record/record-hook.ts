import { relative } from 'node:path';
import { createRedactor, secretValuesFromEnv } from '../engine/redact';
import { registerRunHook } from '../cli/run-hooks';
import { VERSION } from '../cli/version';
import { resolveProfilePath, resolveScenarioPath } from '../scenario/catalog';
import { loadEnvironmentFile } from '../scenario/load';
import { terminalSizeOf } from './format';
import { createRecorder, DEFAULT_RECORDINGS_DIR } from './recorder';

// Every run records itself unless told not to: `--record FILE|DIR` says where
// (`$CHAOSDECK_RECORDINGS`, else recordings/ under the working directory),
// `--no-record` skips it.
// The recorder redacts with the secret values the environment profile names,
// read from this process's environment, on top of what the bus already masked.

/** The secret values an environment profile names (`secrets:`), or none when the profile cannot be read here. */
async function profileSecrets(scenarioRef: string, env: string | undefined, cwd: string, processEnv: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    const scenarioFile = await resolveScenarioPath(scenarioRef, cwd);
    const profile = resolveProfilePath(env, scenarioFile, cwd);
    if (!profile) return [];
    const { environment } = await loadEnvironmentFile(profile, cwd);
    return secretValuesFromEnv(environment.secrets, processEnv);
  } catch {
    // The session loads the same files next and reports what is wrong with them.
    return [];
  }
}

registerRunHook(async ({ io, values, scenarioRef }) => {
  if (values['no-record'] === true) return null;
  const target = typeof values.record === 'string' && values.record !== '' ? values.record : io.env.CHAOSDECK_RECORDINGS || DEFAULT_RECORDINGS_DIR;
  const secrets = await profileSecrets(scenarioRef, typeof values.env === 'string' ? values.env : undefined, io.cwd, io.env);
  const recorder = createRecorder({
    target,
    cwd: io.cwd,
    terminal: terminalSizeOf(io.stdout, io.env),
    chaosdeckVersion: VERSION,
    redact: createRedactor(secrets),
  });
  return {
    sinks: [recorder.sink],
    async close() {
      recorder.close();
      const failure = recorder.failure();
      if (failure) io.stderr.write(`chaosdeck: ${failure.message}\n`);
      const path = recorder.path();
      if (path && values.json !== true) io.stderr.write(`recorded: ${relative(io.cwd, path) || path} (replay with \`chaosdeck replay ${relative(io.cwd, path) || path}\`)\n`);
    },
  };
});
