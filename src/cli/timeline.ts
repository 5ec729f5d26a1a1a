import type { DeckEvent, EventSink } from '../engine/events';
import { formatDuration } from '../scenario/duration';
import type { Palette } from './colors';

// The headless run's output: one readable line per thing that happened, in
// the order it happened, with run time in the margin. Log floods and sampled
// metrics are summarised rather than printed line by line.

/** Options for the printer. */
export interface TimelineOptions {
  readonly write: (text: string) => void;
  readonly palette: Palette;
  /** Print log lines from sources (off by default: they drown the story). */
  readonly showLogs?: boolean;
}

const stamp = (t: number) => `${(t / 1000).toFixed(1).padStart(6)}s`;

/** A sink that prints the timeline. */
export function createTimelinePrinter({ write, palette: p, showLogs = false }: TimelineOptions): EventSink {
  let scenarioSteps: { title: string; phase: string }[] = [];
  const commandActions = new Map<string, string>();
  const breakerStates = new Map<string, string>();
  let lastLatencyAt = -Infinity;
  const line = (t: number, text: string) => write(`${p.dim(stamp(t))}  ${text}\n`);
  return (event: DeckEvent) => {
    switch (event.type) {
      case 'run.started':
        scenarioSteps = event.scenario.steps.map((s) => ({ title: s.title, phase: s.phase }));
        write(`${p.bold(event.scenario.title)} ${p.dim(`on ${event.environment.name} · ${event.mode}${event.isAuto ? ' · auto' : ''}`)}\n`);
        write(`${p.dim('hypothesis:')} ${event.scenario.hypothesis}\n`);
        break;
      case 'step.entered': {
        const step = scenarioSteps[event.index];
        const paint = p.phase[event.phase];
        line(event.t, `${paint(p.bold(event.phase.toUpperCase().padEnd(8)))} ${p.bold(`${event.index + 1}/${scenarioSteps.length}`)} ${step?.title ?? ''}`);
        break;
      }
      case 'action.started':
        if (!event.isProbe && !event.verb.startsWith('undo ')) line(event.t, `  ${p.accent('▸')} ${event.summary} ${p.dim(`(${event.driver})`)}`);
        break;
      case 'command.started':
        commandActions.set(event.commandId, event.actionId);
        line(event.t, `    ${p.dim('$')} ${event.display}${event.isDryRun ? p.warn('  [dry-run: not executed]') : ''}`);
        break;
      case 'command.output':
        for (const text of event.lines.slice(0, 20)) line(event.t, `      ${event.stream === 'stderr' ? p.warn(text) : p.dim(text)}`);
        if (event.lines.length > 20) line(event.t, p.dim(`      … ${event.lines.length - 20} more lines`));
        break;
      case 'command.finished': {
        const status = event.isTimedOut ? p.error('timed out') : event.isCanceled ? p.warn('canceled') : event.exitCode === 0 ? p.ok('exit 0') : p.error(`exit ${event.exitCode ?? event.signal ?? '?'}`);
        line(event.t, `    ${status} ${p.dim(formatDuration(event.durationMs))}`);
        break;
      }
      case 'action.finished':
        if (event.status === 'failed' || event.status === 'unsupported') line(event.t, `  ${p.error('✗')} ${event.error ?? event.status}`);
        else if (event.status === 'skipped') line(event.t, `  ${p.warn('–')} skipped${event.error ? `: ${event.error}` : ''}`);
        break;
      case 'rollback.registered':
        line(event.t, `  ${p.dim('undo journaled:')} ${event.summary}`);
        break;
      case 'rollback.started':
        line(event.t, `  ${p.phase.restore('↺')} undo: ${event.summary}`);
        break;
      case 'rollback.finished':
        if (!event.isOk) line(event.t, `  ${p.error('✗ undo failed:')} ${event.error ?? ''}`);
        break;
      case 'check': {
        if (event.status === 'pending') break;
        const mark = event.status === 'met' ? p.ok('✓') : event.status === 'missed' ? p.error('✗') : p.dim('–');
        line(event.t, `  ${mark} ${event.label} ${p.dim(`(${event.observed ?? ''})`)}`);
        break;
      }
      case 'log.lines':
        if (showLogs) for (const l of event.lines) line(event.t, `  ${p.info(`[${event.source}]`)} ${l.text}`);
        break;
      case 'breaker':
        if (breakerStates.get(event.name) !== event.state) {
          const paint = event.state === 'OPEN' ? p.error : event.state === 'HALF_OPEN' ? p.warn : p.ok;
          if (breakerStates.has(event.name) || event.state !== 'CLOSED') line(event.t, `  breaker ${event.name} ${paint(event.state)}`);
          breakerStates.set(event.name, event.state);
        }
        break;
      case 'latency':
        if (event.t - lastLatencyAt >= 5_000) {
          lastLatencyAt = event.t;
          line(event.t, p.dim(`  p50 ${event.p50.toFixed(0)} ms · p95 ${event.p95.toFixed(0)} ms · ${event.rps.toFixed(0)} rps · errors ${(event.errorRate * 100).toFixed(1)} %`));
        }
        break;
      case 'notice': {
        const paint = event.level === 'error' ? p.error : event.level === 'warn' ? p.warn : p.info;
        line(event.t, paint(event.text));
        break;
      }
      case 'halted':
        line(event.t, p.error(p.bold(`HALTED: ${event.reason}`)));
        break;
      case 'verdict':
        write('\n');
        for (const c of event.criteria) write(`  ${c.isOk ? p.ok('PASS') : p.error('FAIL')}  ${c.name}: ${c.observed} ${p.dim(`(want ${c.threshold})`)}\n`);
        if (event.isDeviated) write(`  ${p.error('DEVIATED')}  the steady state did not hold after the experiment\n`);
        write(`${p.bold('verdict:')} ${event.outcome === 'PASS' ? p.ok(p.bold('PASS')) : p.error(p.bold('FAIL'))}\n`);
        break;
      case 'run.finished':
        write(`${p.bold('run')} ${event.status} ${p.dim(`(exit ${event.exitCode})`)}${event.pendingFaults ? p.error(` — ${event.pendingFaults} fault(s) still injected: run \`chaosdeck restore\``) : ''}\n`);
        break;
      case 'step.finished':
      case 'status':
      case 'metric':
      case 'alert':
        break;
      default: {
        const exhaustive: never = event;
        return exhaustive;
      }
    }
  };
}
