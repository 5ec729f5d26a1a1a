import { createExecRunner } from '../drivers/exec';
import type { DriverRegistry } from '../drivers/registry';
import type { Source } from '../drivers/driver';
import type { RunHost } from '../engine/controller';
import { DeckError } from '../engine/errors';
import type { EventSink, RunMode } from '../engine/events';
import { createRedactor, secretValuesFromEnv } from '../engine/redact';
import { startRun, type Run, type RunOptions } from '../engine/run';
import { stateDir as defaultStateDir } from '../engine/state-dir';
import { resolveProfilePath, resolveScenarioPath } from '../scenario/catalog';
import { EnvironmentSchema, type Environment } from '../scenario/environment';
import { InputError, loadEnvironmentFile, type LoadedEnvironment, type LoadedScenario } from '../scenario/load';
import { loadAnyScenario } from '../scenario/load-any';
import { checkBindings, checkEnvironment } from '../scenario/validate';
import { allDrivers } from './drivers';
import { openEnvironmentSources } from './sources';

// Composes a run: scenario and environment loaded and checked, the drivers
// prepared (the lab started when the scenario needs it), live sources opened,
// the engine started with the caller's sinks. The deck, the headless CLI and
// tests open runs through here; `close` undoes all of it.

/** What a session needs. */
export interface SessionOptions {
  readonly scenario: string;
  readonly env?: string;
  readonly cwd: string;
  readonly processEnv?: NodeJS.ProcessEnv;
  readonly mode: RunMode;
  readonly isAuto: boolean;
  readonly pace?: number;
  readonly host: RunHost;
  readonly sinks?: readonly EventSink[];
  readonly onProgress?: (text: string) => void;
  readonly registry?: DriverRegistry;
  readonly stateDir?: string;
  readonly hypothesisStrategy?: RunOptions['hypothesisStrategy'];
  readonly rollbackStrategy?: RunOptions['rollbackStrategy'];
  readonly expectTimeoutMs?: number;
}

/** An open run with its resources. */
export interface Session {
  readonly run: Run;
  readonly scenario: LoadedScenario;
  readonly environment: Environment;
  /** Ends the run (restoring first), stops sources, releases what prepare started. Safe to call twice. */
  close(status?: 'completed' | 'aborted' | 'interrupted'): Promise<Awaited<Run['controller']['done']>>;
}

/** The environment used when a scenario's pack has no profile (imported experiments run locally). */
export const LOCAL_ENVIRONMENT: Environment = EnvironmentSchema.parse({ name: 'local', isReal: false });

/** Loads the scenario and its environment and checks them together; throws InputError with positions. */
export async function loadRunInputs(options: Pick<SessionOptions, 'scenario' | 'env' | 'cwd'>, registry: DriverRegistry = allDrivers()): Promise<{ scenario: LoadedScenario; environment: LoadedEnvironment | null }> {
  const scenarioFile = await resolveScenarioPath(options.scenario, options.cwd);
  const scenario = await loadAnyScenario(scenarioFile, options.cwd);
  const profile = resolveProfilePath(options.env, scenarioFile, options.cwd);
  const environment = profile ? await loadEnvironmentFile(profile, options.cwd) : null;
  const diagnostics = [
    ...(environment ? checkEnvironment(environment, registry) : []),
    ...checkBindings(scenario, environment ?? { environment: LOCAL_ENVIRONMENT }, registry),
  ];
  if (diagnostics.length > 0) throw new InputError('SCENARIO_INVALID', diagnostics);
  return { scenario, environment };
}

/** Opens a session; the run has started (and entered its first step) when this resolves. */
export async function openSession(options: SessionOptions): Promise<Session> {
  const registry = options.registry ?? allDrivers();
  const { scenario, environment: loadedEnvironment } = await loadRunInputs(options, registry);
  const environment = loadedEnvironment?.environment ?? LOCAL_ENVIRONMENT;
  const stateDir = options.stateDir ?? defaultStateDir(options.processEnv);
  const abort = new AbortController();
  const onProgress = options.onProgress ?? (() => undefined);

  const releases: (() => Promise<void>)[] = [];
  if (options.mode !== 'dry-run') {
    const used = new Set([...Object.values(environment.targets).map((b) => b.driver), ...environment.sources.map((s) => s.from)]);
    for (const name of used) {
      const driver = registry.get(name);
      if (!driver?.prepare) continue;
      try {
        const prepared = await driver.prepare({ environment, config: environment.drivers[name] ?? {}, stateDir, signal: abort.signal, onProgress });
        releases.push(() => prepared.release());
      } catch (error) {
        for (const release of releases.reverse()) await release().catch(() => undefined);
        throw new DeckError('DRIVER_FAILED', `${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
  }

  const redact = createRedactor(secretValuesFromEnv(environment.secrets, options.processEnv));
  const run = startRun({
    scenario: scenario.scenario,
    environment,
    registry,
    runner: createExecRunner({ isDryRun: options.mode === 'dry-run', redact }),
    mode: options.mode,
    isAuto: options.isAuto,
    pace: options.pace,
    host: options.host,
    stateDir,
    sinks: options.sinks,
    hypothesisStrategy: options.hypothesisStrategy,
    rollbackStrategy: options.rollbackStrategy,
    expectTimeoutMs: options.expectTimeoutMs,
  });

  let sources: Source[] = [];
  if (options.mode !== 'dry-run') {
    sources = openEnvironmentSources(environment, registry, {
      runner: createExecRunner({ redact }),
      signal: abort.signal,
      emit: (event) => run.bus.emit(event),
      onError: (text) => run.bus.emit({ type: 'notice', level: 'warn', text }),
    });
  }

  let closing: ReturnType<Session['close']> | null = null;
  return {
    run,
    scenario,
    environment,
    close(status = 'completed') {
      closing ??= (async () => {
        const outcome = await run.controller.finish(status);
        abort.abort();
        await Promise.allSettled(sources.map((s) => s.stop()));
        for (const release of releases.reverse()) await release().catch(() => undefined);
        return outcome;
      })();
      return closing;
    },
  };
}
