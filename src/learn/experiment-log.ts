import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { DeckEvent, EventOf } from '../engine/events';
import type { RunHook, RunHookInput } from '../cli/run-hooks';

// The trading-exchange experiments (training doc 003) each wrote a classic
// log of their run — /tmp/chaos-exp-01-20251006-143015.log, with ✓ success,
// ⚠ warning, ✗ error and plain info lines, plus a .bpf file of the BPF trace
// and a .oom file of kernel OOM lines for experiment 03. Trainers hand those
// files round after a session, so every run of that pack writes them too,
// under logs/ in the working directory.

/** The packs whose runs write the classic per-experiment log. */
export const EXPERIMENT_LOG_PACKS: ReadonlySet<string> = new Set(['trading-exchange']);

/** `chaos-exp-01-20251006-143015` for scenario `01-database-sudden-death` started at that time. */
export function experimentLogName(scenarioId: string, startedAt: Date): string {
  const number = /^(\d+)-/.exec(scenarioId)?.[1] ?? scenarioId;
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${startedAt.getFullYear()}${pad(startedAt.getMonth() + 1)}${pad(startedAt.getDate())}-${pad(startedAt.getHours())}${pad(startedAt.getMinutes())}${pad(startedAt.getSeconds())}`;
  return `chaos-exp-${number}-${stamp}`;
}

const MARK = { ok: '✓', warn: '⚠', error: '✗', info: ' ' } as const;
type Level = keyof typeof MARK;

/** Formats events as the classic log's lines; stateful (it tracks status changes). */
export function createExperimentLogFormatter(startedAtMs: number): (event: DeckEvent) => { file: 'log' | 'bpf' | 'oom'; text: string }[] {
  const lastState = new Map<string, string>();
  const commands = new Map<string, string>();
  const stamp = (t: number) => {
    const at = new Date(startedAtMs + t);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  };
  const line = (t: number, level: Level, text: string) => ({ file: 'log' as const, text: `[${stamp(t)}] ${MARK[level]} ${text}` });
  return (event) => {
    switch (event.type) {
      case 'run.started': {
        const s = event.scenario;
        return [
          line(event.t, 'info', `=== Chaos Experiment: ${s.title} ===`),
          line(event.t, 'info', `Scenario ${s.pack ?? ''}/${s.id} on ${event.environment.name} (${event.mode}${event.isAuto ? ', automatic' : ''}), run ${event.runId}`),
          line(event.t, 'info', `Hypothesis: ${s.hypothesis.replace(/\s+/g, ' ').trim()}`),
        ];
      }
      case 'step.entered':
        return [line(event.t, 'info', `--- Step ${event.index + 1} (${event.phase}) ---`)];
      case 'action.started':
        return [line(event.t, 'info', `${event.isProbe ? 'Probe' : 'Action'}: ${event.summary}`)];
      case 'command.started':
        commands.set(event.commandId, event.display);
        return [line(event.t, 'info', `$ ${event.display}${event.isDryRun ? '   (dry run: not executed)' : ''}`)];
      case 'command.output':
        return event.lines.map((text) => line(event.t, event.stream === 'stderr' ? 'warn' : 'info', `  ${text}`));
      case 'command.finished': {
        const display = commands.get(event.commandId) ?? 'command';
        if (event.isTimedOut) return [line(event.t, 'error', `timed out: ${display}`)];
        return event.exitCode === 0 ? [] : [line(event.t, 'error', `exit ${event.exitCode ?? event.signal ?? '?'}: ${display}`)];
      }
      case 'action.finished':
        if (event.status === 'ok' || event.status === 'dry-run') return [line(event.t, 'ok', `done in ${Math.round(event.durationMs)} ms`)];
        if (event.status === 'skipped') return [line(event.t, 'warn', `skipped${event.error ? `: ${event.error}` : ''}`)];
        return [line(event.t, 'error', `${event.status}${event.error ? `: ${event.error}` : ''}`)];
      case 'check':
        if (event.status === 'pending') return [];
        if (event.status === 'met') return [line(event.t, 'ok', `${event.label}${event.observed ? ` (${event.observed})` : ''}`)];
        if (event.status === 'skipped') return [line(event.t, 'warn', `not checked: ${event.label}`)];
        return [line(event.t, 'error', `${event.label}: expected ${event.expected ?? '?'}, saw ${event.observed ?? 'nothing'}`)];
      case 'latency':
        return [line(event.t, event.errorRate > 0.01 ? 'warn' : 'info', `latency p50 ${event.p50} ms, p95 ${event.p95} ms, p99 ${event.p99} ms, ${event.rps} req/s, errors ${(event.errorRate * 100).toFixed(1)} %`)];
      case 'status':
        return event.targets.flatMap((target) => {
          const key = `${event.source}/${target.name}`;
          const state = `${target.state}${target.isReady ? ' (ready)' : ''}, restarts ${target.restarts}`;
          if (lastState.get(key) === state) return [];
          lastState.set(key, state);
          return [line(event.t, target.isReady ? 'ok' : 'warn', `${target.name}: ${state}${target.detail ? ` — ${target.detail}` : ''}`)];
        });
      case 'breaker':
        return [line(event.t, event.state === 'CLOSED' ? 'ok' : 'warn', `circuit breaker ${event.name}: ${event.state}`)];
      case 'alert':
        return [line(event.t, event.state === 'firing' ? 'warn' : 'info', `alert ${event.name}: ${event.state}${event.summary ? ` — ${event.summary}` : ''}`)];
      case 'log.lines': {
        const isBpf = /bpf/i.test(event.source);
        return event.lines.flatMap((l) => {
          const out: { file: 'log' | 'bpf' | 'oom'; text: string }[] = [];
          if (isBpf) out.push({ file: 'bpf', text: l.text });
          else out.push(line(event.t, 'info', `[${event.source}] ${l.text}`));
          if (/out of memory|oom[-_ ]?kill/i.test(l.text)) out.push({ file: 'oom', text: `[${stamp(event.t)}] ${l.text}` });
          return out;
        });
      }
      case 'rollback.started':
        return [line(event.t, 'info', `Restore: ${event.summary}`)];
      case 'rollback.finished':
        return [line(event.t, event.isOk ? 'ok' : 'error', `restored${event.error ? `: ${event.error}` : ''}`)];
      case 'notice':
        return [line(event.t, event.level === 'error' ? 'error' : event.level === 'warn' ? 'warn' : 'info', event.text)];
      case 'halted':
        return [line(event.t, 'warn', `HALTED: ${event.reason}`)];
      case 'verdict':
        return [
          line(event.t, event.outcome === 'PASS' ? 'ok' : 'error', `=== Verdict: ${event.outcome}${event.isDeviated ? ' (steady state deviated)' : ''} ===`),
          ...event.criteria.map((c) => line(event.t, c.isOk ? 'ok' : 'error', `${c.name}: ${c.observed} (threshold ${c.threshold})`)),
        ];
      case 'run.finished':
        return [line(event.t, event.status === 'completed' ? 'ok' : 'warn', `Experiment ${event.status}; exit code ${event.exitCode}${event.pendingFaults ? `; ${event.pendingFaults} fault(s) NOT restored` : ''}`)];
      case 'step.finished':
      case 'rollback.registered':
      case 'metric':
        return [];
    }
  };
}

/** The run hook: writes logs/chaos-exp-NN-<stamp>.log (and .bpf, .oom when there is something for them). */
export async function experimentLogHook(input: RunHookInput): Promise<RunHook | null> {
  const files = new Map<'log' | 'bpf' | 'oom', number>();
  let base: string | undefined;
  let format: ReturnType<typeof createExperimentLogFormatter> | undefined;
  let isOff = false;
  const write = (file: 'log' | 'bpf' | 'oom', text: string) => {
    let fd = files.get(file);
    if (fd === undefined) {
      fd = openSync(file === 'log' ? `${base}.log` : `${base}.log.${file}`, 'a', 0o644);
      files.set(file, fd);
    }
    writeSync(fd, `${text}\n`);
  };
  const sink = (event: DeckEvent) => {
    if (isOff) return;
    try {
      if (!format) {
        if (event.type !== 'run.started') return;
        if (!EXPERIMENT_LOG_PACKS.has(event.scenario.pack ?? '')) {
          isOff = true;
          return;
        }
        const startedAt = new Date((event as EventOf<'run.started'>).startedAt);
        const directory = join(input.io.cwd, 'logs');
        mkdirSync(directory, { recursive: true });
        base = join(directory, experimentLogName(event.scenario.id, startedAt));
        format = createExperimentLogFormatter(startedAt.getTime());
      }
      for (const out of format(event)) write(out.file, out.text);
    } catch (error) {
      // A full disk must not end the experiment; say so once and stop logging.
      isOff = true;
      input.io.stderr.write(`chaosdeck: the experiment log stopped: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  };
  return {
    sinks: [sink],
    async close() {
      for (const fd of files.values()) closeSync(fd);
      files.clear();
      if (base && input.values.json !== true) input.io.stderr.write(`Experiment log: ${base}.log\n`);
    },
  };
}
