import { formatDuration } from '../scenario/duration';
import type { ActionRecord, RunSummary, WindowFigures } from './summary';

// report.md: what a team reads the morning after. The hypothesis, the verdict
// table, the figures per window, the timeline with every command, breaker
// transitions, restarts and the faults still injected (none, we hope).

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const at = (t: number) => `${(t / 1000).toFixed(1)} s`;
const ms = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(value >= 100 ? 0 : 1)} ms`);
const percent = (value: number | undefined) => (value === undefined ? '—' : `${(value * 100).toFixed(2)} %`);
const rate = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(1)} req/s`);

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function figuresSection(summary: RunSummary): string[] {
  const rows = summary.figures.map((f: WindowFigures) => [
    f.window, `${at(f.from)} – ${at(Math.min(f.to, summary.durationMs))}`, ms(f.p50), ms(f.p95), ms(f.p95Max), percent(f.errorRate), rate(f.throughput), String(f.samples),
  ]);
  const hasSamples = summary.figures.some((f) => f.samples > 0);
  const recovery = summary.recoverySeconds !== undefined ? `${summary.recoverySeconds.toFixed(1)} s`
    : hasSamples ? 'not recovered within the recording' : 'not measured (the run has no latency samples)';
  return [
    '## Figures', '',
    ...table(['window', 'run time', 'p50', 'p95', 'p95 max', 'error rate', 'throughput', 'samples'], rows), '',
    `Recovery time (first undo until p95 and errors are back near the baseline): **${recovery}**`, '',
    'p50, p95, error rate and throughput are averages of the latency samples inside each window; p95 max is the worst sample.', '',
  ];
}

function commandStatus(command: ActionRecord['commands'][number]): string {
  if (command.isDryRun) return 'dry-run';
  if (command.isTimedOut) return 'timed out';
  if (command.isCanceled) return 'canceled';
  if (command.exitCode === null && command.signal) return command.signal;
  return command.exitCode === null ? 'did not finish' : `exit ${command.exitCode}`;
}

function timelineSection(summary: RunSummary): string[] {
  const lines = ['## Timeline', ''];
  const byStep = new Map<number | null, ActionRecord[]>();
  for (const action of summary.actions) {
    const list = byStep.get(action.step) ?? [];
    list.push(action);
    byStep.set(action.step, list);
  }
  const describeAction = (action: ActionRecord) => {
    const duration = action.durationMs === null ? 'unfinished' : formatDuration(action.durationMs);
    const out = [`- ${at(action.startedAt)} · ${action.kind} · ${action.summary} — **${action.status}** (${duration})${action.error ? `: ${action.error}` : ''}`];
    for (const command of action.commands) {
      out.push(`  - \`$ ${command.display.replace(/`/g, "'")}\` → ${commandStatus(command)}${command.durationMs === null ? '' : `, ${formatDuration(command.durationMs)}`}`);
    }
    return out;
  };
  for (const step of summary.steps) {
    const duration = step.enteredAt !== null && step.finishedAt !== null ? ` (${formatDuration(step.finishedAt - step.enteredAt)})` : '';
    const when = step.enteredAt === null ? 'not entered' : at(step.enteredAt);
    lines.push(`### ${step.index + 1}. ${step.phase.toUpperCase()} — ${step.title}`, '', `Entered ${when} · ${step.status}${duration}`, '');
    const acts = byStep.get(step.index) ?? [];
    for (const action of acts) lines.push(...describeAction(action));
    const expectations = summary.checks.filter((c) => c.step === step.index && c.kind === 'expect');
    for (const check of expectations) lines.push(`- ${at(check.t)} · expect · ${check.label} — **${check.status}**${check.observed ? ` (${check.observed})` : ''}`);
    if (acts.length > 0 || expectations.length > 0) lines.push('');
  }
  const outside = byStep.get(null) ?? [];
  const undos = outside.filter((a) => a.kind === 'undo' || a.kind === 'rollback');
  if (undos.length > 0) {
    lines.push('### Rollbacks', '');
    for (const action of undos) lines.push(...describeAction(action));
    lines.push('');
  }
  const steady = summary.checks.filter((c) => c.kind === 'steady-state');
  if (steady.length > 0) {
    lines.push('### Steady state', '');
    for (const check of steady) lines.push(`- ${at(check.t)} · ${check.label} — **${check.status}**${check.observed ? ` (${check.observed})` : ''}`);
    lines.push('');
  }
  return lines;
}

/** Renders report.md. */
export function renderReportMarkdown(summary: RunSummary): string {
  const verdict = summary.outcome ?? (summary.isFinished ? 'no verdict (dry run)' : 'no verdict (the recording ends before the run did)');
  const lines: string[] = [
    `# ${summary.scenario.title}`, '',
    `Run \`${summary.runId}\` on **${summary.environment.name}**${summary.environment.isLab ? '' : ' (a real environment)'} · ${summary.mode} · started ${summary.startedAt} · lasted ${formatDuration(summary.durationMs)}`, '',
    `**Verdict: ${verdict}** · status ${summary.status}${summary.exitCode === null ? '' : ` · exit code ${summary.exitCode}`}${summary.isDeviated ? ' · **deviated**: the steady state did not hold after the experiment' : ''}`, '',
    '## Hypothesis', '', summary.scenario.hypothesis.trim(), '',
    '## Verdict', '',
  ];
  if (summary.criteria.length === 0) lines.push('The scenario declares no success criteria.', '');
  else lines.push(...table(['criterion', 'threshold', 'observed', 'result'], summary.criteria.map((c) => [c.name, c.threshold, c.observed, c.isOk ? 'PASS' : 'FAIL'])), '');
  if (summary.halted) lines.push(`**Halted** at ${at(summary.halted.t)}: ${summary.halted.reason}${summary.halted.guardrail ? ` (stop condition \`${summary.halted.guardrail}\`)` : ''}`, '');
  lines.push(...figuresSection(summary));
  lines.push(...timelineSection(summary));
  lines.push('## Circuit breakers', '');
  if (summary.breakerTransitions.length === 0) lines.push('No breaker changed state.', '');
  else lines.push(...table(['run time', 'breaker', 'from', 'to'], summary.breakerTransitions.map((b) => [at(b.t), b.name, b.from ?? '—', b.to])), '');
  lines.push('## Restarts', '');
  if (summary.restarts.length === 0) lines.push('No target restarted.', '');
  else lines.push(...table(['run time', 'target', 'restarts before', 'after'], summary.restarts.map((r) => [at(r.t), r.target, String(r.from), String(r.to)])), '');
  lines.push('## Faults left', '');
  if (summary.faultsLeft.length === 0) lines.push('None: every fault the run injected was undone.', '');
  else {
    lines.push(`**${summary.faultsLeft.length} fault(s) still injected** — run \`chaosdeck restore\`:`, '');
    for (const fault of summary.faultsLeft) lines.push(`- ${at(fault.t)} · ${fault.summary} (\`${fault.undoId}\`)`);
    lines.push('');
  }
  if (summary.notices.length > 0) {
    lines.push('## Warnings', '');
    for (const notice of summary.notices) lines.push(`- ${at(notice.t)} · ${notice.level}: ${notice.text}`);
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
