import type { Action, Scenario } from '../schema';

// Activities a scenario declares that chaosdeck cannot run (Chaos Toolkit
// python providers and controls). `run --auto` refuses to start while there
// are any, unless --skip-unsupported says to go on without them.

/** One activity that cannot run, with where it is. */
export interface UnsupportedActivity {
  /** `steady state`, `step 3`, `rollback`, `tolerance of …`. */
  readonly where: string;
  /** `not runnable: python provider chaosk8s.pod.actions.terminate_pods`. */
  readonly text: string;
}

function visit(action: Action, where: string, out: UnsupportedActivity[]): void {
  if (action.verb === 'unsupported') out.push({ where, text: `not runnable: ${action.kind} ${action.name}` });
}

/** Every unsupported activity in a scenario, in the order a run meets them. */
export function unsupportedActivities(scenario: Scenario): UnsupportedActivity[] {
  const out: UnsupportedActivity[] = [];
  for (const steady of scenario.steadyState) {
    if (!('probe' in steady.check)) continue;
    visit(steady.check.probe, `steady state '${steady.name}'`, out);
    if (steady.check.tolerance.probe) visit(steady.check.tolerance.probe, `tolerance of '${steady.name}'`, out);
  }
  scenario.steps.forEach((step, i) => {
    for (const action of step.run) visit(action, `step ${i + 1} (${step.title})`, out);
  });
  for (const action of scenario.rollback) visit(action, 'rollback', out);
  return out;
}

/** The refusal `run --auto` prints, or null when everything can run. */
export function unsupportedRefusal(scenario: Scenario): string | null {
  const found = unsupportedActivities(scenario);
  if (found.length === 0) return null;
  const lines = found.slice(0, 8).map((a) => `  ${a.where}: ${a.text}`);
  if (found.length > 8) lines.push(`  … and ${found.length - 8} more`);
  return [
    `${found.length} activit${found.length === 1 ? 'y' : 'ies'} of '${scenario.title}' cannot run here:`,
    ...lines,
    'Refusing to run unattended. Add --skip-unsupported to run the rest (those activities report "unsupported"),',
    'or run without --auto to present it step by step.',
  ].join('\n');
}

/**
 * The refusal for a scenario named on the command line (a path or a built-in
 * id), or null when everything in it can run. Loading errors propagate as the
 * run itself would report them.
 */
export async function unsupportedRefusalFor(reference: string, cwd: string): Promise<string | null> {
  const { resolveScenarioPath } = await import('../catalog');
  const { loadAnyScenario } = await import('../load-any');
  const loaded = await loadAnyScenario(await resolveScenarioPath(reference, cwd), cwd);
  return unsupportedRefusal(loaded.scenario);
}
