import { z } from 'zod';
import type { Source, SourceContext } from '../drivers/driver';
import type { SourceSpec } from '../scenario/environment';
import { DeckError } from '../engine/errors';
import { SshConfigSchema } from '../drivers/ssh-config';
import { endpointOfBinding, streamRemote } from '../drivers/ssh-sources';
import { createLineBatcher } from './batch';
import { streamCommand } from './command-stream';
import { parseResilienceLogLine } from './resilience4j';
import { sourceIdOf } from './source-id';

// `from: command`: any long-running command, here or on an ssh host, whose
// lines feed a pane or, through a regex, a metric. This is how the
// trading-exchange pack shows its bpftrace one-liners (connection retries, TCP
// retransmits, OOM victims) where bpftrace and root are available.

export const CommandSourceSchema = z.looseObject({
  /** The program and its arguments; no shell. */
  argv: z.array(z.string()).min(1).optional(),
  /** A shell command line, run with sh -c and shown as such. */
  shell: z.string().optional(),
  /** Run on this ssh host (a `drivers.ssh.hosts` entry or user@host:port); a `target` bound to ssh does the same. */
  host: z.string().optional(),
  /** A regex; each matching line becomes a metric event. */
  pattern: z.string().optional(),
  /** The metric's name; required with `pattern`. */
  metric: z.string().optional(),
  /** Which capture group holds the value (a name or a number); without one each match counts 1. */
  value: z.union([z.string(), z.number().int().nonnegative()]).optional(),
  /** Also show the lines in the logs pane when a pattern is given. */
  showLines: z.boolean().default(false),
  env: z.record(z.string(), z.string()).optional(),
});
export type CommandSource = z.infer<typeof CommandSourceSchema>;

/** The events one line produces under a pattern: a metric with its named groups as labels, or nothing. */
export function lineToMetric(line: string, regex: RegExp, fields: CommandSource, source: string) {
  const match = regex.exec(line);
  if (!match) return null;
  const raw = fields.value === undefined ? '1' : typeof fields.value === 'number' ? match[fields.value] : match.groups?.[fields.value];
  const value = Number(raw);
  if (!Number.isFinite(value)) return null;
  const labels = Object.fromEntries(Object.entries(match.groups ?? {}).filter(([k, v]) => k !== fields.value && v !== undefined)) as Record<string, string>;
  return { type: 'metric' as const, source, name: fields.metric!, value, ...(Object.keys(labels).length ? { labels } : {}) };
}

/** Opens a command source. */
export function openCommandSource(spec: SourceSpec, context: SourceContext): Source {
  const fields = CommandSourceSchema.parse(spec);
  const id = sourceIdOf(spec);
  if (!fields.argv && !fields.shell) throw new DeckError('ENVIRONMENT_INVALID', `source ${id}: give \`argv\` or \`shell\``);
  if (fields.pattern && !fields.metric) throw new DeckError('ENVIRONMENT_INVALID', `source ${id}: \`pattern\` needs \`metric\` (the name to emit)`);
  const regex = fields.pattern ? new RegExp(fields.pattern) : null;
  const batcher = createLineBatcher({ onFlush: (lines, dropped) => context.emit({ type: 'log.lines', source: id, lines, dropped }) });
  const onLine = (line: string) => {
    if (spec.kind === 'breakers') {
      for (const event of parseResilienceLogLine(line, id)) context.emit(event);
      return;
    }
    if (regex) {
      const metric = lineToMetric(line, regex, fields, id);
      if (metric) context.emit(metric);
      if (!fields.showLines) return;
    }
    batcher.push(line, Date.now());
  };
  const ended = (why: string) => {
    batcher.flush();
    context.emit({ type: 'notice', level: 'warn', text: `source ${id} ended: ${why}` });
  };
  const boundToSsh = spec.target ? context.environment.targets[spec.target] : undefined;
  const remote = fields.host ? { driver: 'ssh', host: fields.host } : boundToSsh?.driver === 'ssh' ? boundToSsh : null;
  let inner: Source;
  if (remote) {
    const config = SshConfigSchema.parse(context.environment.drivers.ssh ?? {});
    const { endpoint } = endpointOfBinding(remote, config);
    const argv = fields.argv ?? ['sh', '-c', fields.shell!];
    inner = streamRemote({ id, endpoint, config, argv, signal: context.signal, onLine, onEnd: ended });
  } else {
    inner = streamCommand({
      id, runner: context.runner, signal: context.signal,
      spec: fields.argv ? { argv: fields.argv, ...(fields.env ? { env: fields.env } : {}) } : { argv: [fields.shell!], isShell: true, ...(fields.env ? { env: fields.env } : {}) },
      onLine,
      onExit: (result) => ended(result.spawnError ?? (result.stderr.trim().split('\n').pop() || `exit ${result.exitCode}`)),
    });
  }
  return {
    id,
    async stop() {
      await inner.stop();
      batcher.close();
    },
  };
}
