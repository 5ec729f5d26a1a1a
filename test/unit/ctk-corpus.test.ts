import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/scenario/load';
import { importCtkExperiment, unsupportedActivities } from '../../src/scenario/ctk/index';
import { CtkJournalFileSchema } from '../../src/scenario/ctk/journal';

// The public corpus of real Chaos Toolkit experiments and journals
// (../shared/corpus/chaostoolkit, SOURCES.md says where each came from): every
// file either imports or fails with one precise file:line:column message,
// pinned here. Imports run with an empty environment, so experiments that read
// unset environment variables without defaults fail exactly as chaoslib does.

const corpus = '/work/shared/corpus/chaostoolkit';
const hasCorpus = existsSync(corpus);

interface Loaded {
  readonly steps: number;
  readonly steadyState: number;
  readonly rollbacks: number;
  readonly unsupported: number;
}

/** file → what it imports to, or the first diagnostic after `file:`. */
const OUTCOMES: [string, Loaded | string][] = [
  ["10779164__chaostoolkit-ansible/experiment.json", { steps: 3, steadyState: 0, rollbacks: 0, unsupported: 1 }],
  ["10779164__chaostoolkit-ansible/journal.json", "1:1: this is a Chaos Toolkit journal (a run's record), not an experiment; its experiment is under `experiment`"],
  ["IBM__chaostoolkit-ibm/example/databases/postgresql-probe.json", "6:20: configuration 'api_key' reads the environment variable API_KEY, which is not set and has no default"],
  ["IBM__chaostoolkit-ibm/example/middleware/probe-only.json", "6:16: configuration 'mq_host' reads the environment variable MQ_IP, which is not set and has no default"],
  ["IBM__chaostoolkit-ibm/example/vpc/dummy-probe.json", "9:20: configuration 'api_key' reads the environment variable API_KEY, which is not set and has no default"],
  ["Lawouach__chaostoolkit-from-rust/experiment.json", { steps: 3, steadyState: 1, rollbacks: 0, unsupported: 0 }],
  ["MDRCS__chaos-engineering/experiment.json", "9:24: configuration 'web_app_url' reads the environment variable FRONTEND_URL, which is not set and has no default"],
  ["MDRCS__chaos-engineering/journal.json", "1:1: this is a Chaos Toolkit journal (a run's record), not an experiment; its experiment is under `experiment`"],
  ["asashiho__chaostoolkit-sample/chaos/experiment.pod.json", { steps: 4, steadyState: 2, rollbacks: 0, unsupported: 3 }],
  ["aws-samples__serverless-chaos-experiments/chaos_toolkit/code-manipulation-experiment.json", "5:22: configuration 'function_name' reads the environment variable FUNCTION_NAME, which is not set and has no default"],
  ["aws-samples__serverless-chaos-experiments/scripts/chaos_toolkit/experiments/demo1.json", "5:24: configuration 'lambda_function' reads the environment variable LAMBDA_FUNCTION_NAME, which is not set and has no default"],
  ["bpbpublications__Chaos-Engineering-with-Python/Chapter 04/experiment.json", { steps: 3, steadyState: 1, rollbacks: 1, unsupported: 0 }],
  ["bpbpublications__Chaos-Engineering-with-Python/Chapter 05/cpu-contention/experiment.json", "11:30: hypothesis probe tolerance type 'None' is unsupported (regex, jsonpath, range or probe)"],
  ["bpbpublications__Chaos-Engineering-with-Python/Chapter 06/experiment.json", { steps: 3, steadyState: 1, rollbacks: 1, unsupported: 3 }],
  ["bpbpublications__Chaos-Engineering-with-Python/Chapter 08/chaos-experiment.json", "22:21: hypothesis probe tolerance type 'equal' is unsupported (regex, jsonpath, range or probe)"],
  ["cdsre__chaostoolkit-community-playground/learning-chaos-engineering-book-samples/chapter5/experiment.json", { steps: 4, steadyState: 1, rollbacks: 1, unsupported: 4 }],
  ["cdsre__chaostoolkit-community-playground/learning-chaos-engineering-book-samples/chris-custom-sleep-test/experiment.yaml", { steps: 5, steadyState: 1, rollbacks: 1, unsupported: 5 }],
  ["chaostoolkit-attic__chaoshub-tck/sample-journal.json", "1:1: this is a Chaos Toolkit journal (a run's record), not an experiment; its experiment is under `experiment`"],
  ["chaostoolkit-incubator__chaostoolkit-aws/az_experiment.yaml", { steps: 3, steadyState: 1, rollbacks: 1, unsupported: 3 }],
  ["chaostoolkit-incubator__chaostoolkit-humio/samples/experiment_custom_url.json", "11:26: secret 'humio.token' reads the environment variable HUMIO_INGEST_TOKEN, which is not set"],
  ["chaostoolkit-incubator__chaostoolkit-reliably/examples/use_slo_as_steady_state.json", { steps: 2, steadyState: 1, rollbacks: 0, unsupported: 2 }],
  ["chaostoolkit-incubator__chaostoolkit-wiremock/experiments/add_mapping.json", { steps: 3, steadyState: 1, rollbacks: 0, unsupported: 1 }],
  ["chaostoolkit-incubator__chaostoolkit-wiremock/experiments/down.json", { steps: 3, steadyState: 1, rollbacks: 0, unsupported: 1 }],
  ["chaostoolkit-incubator__chaostoolkit-wiremock/experiments/global_random_delay.json", { steps: 3, steadyState: 1, rollbacks: 0, unsupported: 1 }],
  ["chaostoolkit-incubator__chaostoolkit-wiremock/experiments/reset.json", { steps: 3, steadyState: 1, rollbacks: 0, unsupported: 1 }],
  ["chaostoolkit-incubator__community-playground/from-local-to-automated-chaostoolkit/experiments/rollout-v1-service2.json", "7:32: configuration 'counter_service_url' reads the environment variable COUNTER_URL, which is not set and has no default"],
  ["chaostoolkit-incubator__community-playground/from-local-to-automated-chaostoolkit/experiments/rollout-v2-service2-global-settings.json", "7:32: configuration 'counter_service_url' reads the environment variable COUNTER_URL, which is not set and has no default"],
  ["chaostoolkit-incubator__community-playground/interactive-controls/samples/simple-interactive-experiment.json", { steps: 3, steadyState: 1, rollbacks: 1, unsupported: 3 }],
  ["chaostoolkit-incubator__community-playground/interactive-controls/samples/yorn-interactive-experiment.json", { steps: 3, steadyState: 1, rollbacks: 1, unsupported: 1 }],
  ["chaostoolkit-incubator__community-playground/kubernetes-pack/drain-node-experiment.json", "9:24: configuration 'service_url' reads the environment variable APPLICATION_ENTRYPOINT_URL, which is not set and has no default"],
  ["chaostoolkit-incubator__community-playground/kubernetes-pack/kill-pods-experiment.json", "9:24: configuration 'service_url' reads the environment variable APPLICATION_ENTRYPOINT_URL, which is not set and has no default"],
  ["chaostoolkit-incubator__community-playground/learning-chaos-engineering-book-samples/chapter5/experiment.json", { steps: 3, steadyState: 1, rollbacks: 0, unsupported: 1 }],
  ["chaostoolkit-incubator__community-playground/learning-chaos-engineering-book-samples/chapter6/experiment.json", { steps: 3, steadyState: 2, rollbacks: 1, unsupported: 3 }],
  ["chaostoolkit-incubator__community-playground/superpower/experiments/kubernetes/latency-should-remain-sane-under-heavy-load.json", "9:24: configuration 'service_url' reads the environment variable SUPERPOWER_URL, which is not set and has no default"],
  ["chaostoolkit-incubator__community-playground/superpower/experiments/kubernetes/lose-all-of-powersources.json", "9:24: configuration 'service_url' reads the environment variable SUPERPOWER_URL, which is not set and has no default"],
  ["chaostoolkit-incubator__community-playground/superpower/experiments/kubernetes/lose-half-of-powersources.json", "9:24: configuration 'service_url' reads the environment variable SUPERPOWER_URL, which is not set and has no default"],
  ["chaostoolkit-incubator__kubernetes-job/examples/experiment.json", { steps: 3, steadyState: 3, rollbacks: 0, unsupported: 4 }],
  ["chaostoolkit__chaostoolkit-documentation-code/tutorials/a-simple-walkthrough/experiment.json", { steps: 6, steadyState: 3, rollbacks: 3, unsupported: 2 }],
  ["chaostoolkit__chaostoolkit-documentation-code/tutorials/a-simple-walkthrough/experiment.yaml", { steps: 6, steadyState: 3, rollbacks: 3, unsupported: 2 }],
  ["chaostoolkit__chaostoolkit-lib/tests/fixtures/env_vars_issue252.json", "1:1: experiment requires a title"],
  ["chaostoolkit__chaostoolkit-samples/pod-should-be-restarted-when-service-is-unhealthy/experiment.json", "11:32: configuration 'webapp_service_url' reads the environment variable WEBAPP_SERVICE_ADDR, which is not set and has no default"],
  ["chaostoolkit__chaostoolkit-samples/service-down-not-visible-to-users/experiment.json", { steps: 4, steadyState: 2, rollbacks: 0, unsupported: 3 }],
  ["chaostoolkit__chaostoolkit-samples/service-killed-not-visible-to-users/experiment.json", "12:22: secret 'gremlin.email' reads the environment variable GREMLIN_EMAIL, which is not set"],
  ["chaostoolkit__chaostoolkit/tests/fixtures/check-file-exists-deviated.json", { steps: 3, steadyState: 1, rollbacks: 0, unsupported: 1 }],
  ["chaostoolkit__chaostoolkit/tests/fixtures/check-file-exists-fail.json", { steps: 2, steadyState: 1, rollbacks: 0, unsupported: 1 }],
  ["chaostoolkit__chaostoolkit/tests/fixtures/check-file-exists.json", { steps: 3, steadyState: 2, rollbacks: 0, unsupported: 1 }],
  ["chaostoolkit__chaostoolkit/tests/fixtures/invalid-plan.json", "1:1: experiment requires a description"],
  ["chaostoolkit__chaostoolkit/tests/fixtures/override-hypothesis-runtime-strategy.json", { steps: 3, steadyState: 2, rollbacks: 1, unsupported: 1 }],
  ["chaostoolkit__chaostoolkit/tests/fixtures/override-rollbacks-runtime-strategy.json", { steps: 3, steadyState: 2, rollbacks: 1, unsupported: 1 }],
  ["chaostoolkit__chaostoolkit/tests/fixtures/well-formed-experiment.json", "5:9: an activity must have a type (probe or action)"],
  ["chaostoolkit__walkthrough/lab1/experiment.json", { steps: 3, steadyState: 2, rollbacks: 0, unsupported: 3 }],
  ["chaostoolkit__walkthrough/lab2/experiment.json", { steps: 3, steadyState: 2, rollbacks: 1, unsupported: 3 }],
  ["chaostoolkit__walkthrough/lab3/experiment.json", { steps: 3, steadyState: 2, rollbacks: 1, unsupported: 3 }],
  ["chaostoolkit__walkthrough/lab4/experiment.json", { steps: 3, steadyState: 2, rollbacks: 1, unsupported: 5 }],
  ["chaostoolkit__walkthrough/lab5/experiment.json", { steps: 3, steadyState: 2, rollbacks: 0, unsupported: 4 }],
  ["chrisp777__chaostoolkit-example/experiment-quote-storage-process-kill.json", "9:28: configuration 'quoteStorageUrl' reads the environment variable STORAGE_URL, which is not set and has no default"],
  ["chrisp777__chaostoolkit-example/experiment-unresponsive-quote-storage.json", "9:28: configuration 'quoteStorageUrl' reads the environment variable STORAGE_URL, which is not set and has no default"],
  ["grafana__chaostoolkit-k6/examples/experiment.json", { steps: 3, steadyState: 1, rollbacks: 0, unsupported: 1 }],
  ["grafana__chaostoolkit-k6/examples/experiment.yaml", { steps: 3, steadyState: 2, rollbacks: 0, unsupported: 3 }],
  ["grafana__chaostoolkit-k6/examples/journal.json", "1:1: this is a Chaos Toolkit journal (a run's record), not an experiment; its experiment is under `experiment`"],
  ["ianalderman__chaostoolkit-azure-demo/webApps_and_TrafficManager/experiments/Experiment3.json", { steps: 4, steadyState: 1, rollbacks: 2, unsupported: 4 }],
  ["nh-777__chaostoolkit-tutorials/01-chaostoolkit-getting-started/report/assets/chaos-report.json", "1:1: this is a Chaos Toolkit journal (a run's record), not an experiment; its experiment is under `experiment`"],
  ["proofdock__chaos-experiments/vmss/stress_cpu/experiment.yml", { steps: 3, steadyState: 0, rollbacks: 0, unsupported: 1 }],
];

function outcome(file: string, env: NodeJS.ProcessEnv = {}): Loaded | string {
  try {
    const { scenario } = importCtkExperiment(file, readFileSync(join(corpus, file), 'utf8'), { env });
    return {
      steps: scenario.steps.length,
      steadyState: scenario.steadyState.length,
      rollbacks: scenario.rollback.filter((a) => a.verb !== 'wait' && !(a.verb === 'unsupported' && a.kind === 'python control')).length,
      unsupported: unsupportedActivities(scenario).length,
    };
  } catch (error) {
    // Anything but an InputError is a crash, and fails the test here.
    if (!(error instanceof InputError)) throw error;
    expect(error.diagnostics.length).toBeGreaterThan(0);
    for (const d of error.diagnostics) expect(d.file).toBe(file);
    return error.message.split('\n')[0]!.slice(file.length + 1);
  }
}

describe.skipIf(!hasCorpus)('the Chaos Toolkit corpus', () => {
  it('pins every experiment and journal file in the corpus', () => {
    const listed = readFileSync(join(corpus, 'SOURCES.md'), 'utf8');
    for (const [file] of OUTCOMES) expect(listed).toContain(file);
    expect(OUTCOMES.length).toBe(63);
  });

  it.each(OUTCOMES)('%s', (file, expected) => {
    expect(outcome(file)).toEqual(expected);
  });

  // With the variables they read set, the experiments that needed them load too.
  const needsEnv = OUTCOMES.filter(([, o]) => typeof o === 'string' && / reads the environment variable /.test(o));
  it.each(needsEnv)('%s loads once its environment variables are set', (file) => {
    const text = readFileSync(join(corpus, file), 'utf8');
    const env = Object.fromEntries([...text.matchAll(/"key":\s*"([A-Z_][A-Z0-9_]*)"/g)].map((m) => [m[1]!, '7']));
    expect(typeof outcome(file, env)).toBe('object');
  });

  const journals = OUTCOMES.filter(([, o]) => typeof o === 'string' && o.includes('journal')).map(([f]) => f);
  it.each(journals)('journal %s parses with the journal schema', (file) => {
    const parsed = CtkJournalFileSchema.parse(JSON.parse(readFileSync(join(corpus, file), 'utf8')));
    expect(['completed', 'failed', 'aborted', 'interrupted']).toContain(parsed.status);
    expect(parsed.experiment.title.length).toBeGreaterThan(0);
  });
});
