import { z } from 'zod';
import type { ActionContext, ActionOutcome, UndoSpec } from './driver';
import type { CommandResult, CommandSpec } from './exec';
import { runSequence } from './action-support';
import { kubectlBase, type KubectlConfig } from './kubectl-config';
import { parsePodList } from './kubectl-pods';
import { netemDeleteCommand } from './netem';

// The undos the kubectl driver writes to the journal, and how they run. Every
// one is idempotent: deleting with --ignore-not-found, scaling to a number,
// setting env to recorded values, tc del tolerating "nothing there".

/** The parameters of a kubectl undo; JSON-safe, so a new process can run it after a crash. */
export const KubectlUndoParamsSchema = z.looseObject({
  namespace: z.string().optional(),
  deployment: z.string().optional(),
  replicas: z.number().int().nonnegative().optional(),
  container: z.string().optional(),
  /** Previous env values; null means the variable was absent and is removed. */
  env: z.record(z.string(), z.string().nullable()).optional(),
  resource: z.string().optional(),
  name: z.string().optional(),
  selector: z.string().optional(),
  device: z.string().optional(),
  argv: z.array(z.string()).optional(),
});
export type KubectlUndoParams = z.input<typeof KubectlUndoParamsSchema>;

/** Runs a kubectl undo. */
export async function kubectlUndo(
  undo: UndoSpec,
  context: ActionContext,
  config: KubectlConfig,
  tolerate: (result: CommandResult) => boolean,
): Promise<ActionOutcome> {
  const p = KubectlUndoParamsSchema.parse(undo.params);
  const kubectl = kubectlBase(config, p.namespace);
  const container = p.container ? ['-c', p.container] : [];
  let commands: CommandSpec[];
  switch (undo.verb) {
    case 'scale':
      commands = [{ argv: [...kubectl, 'scale', `deployment/${p.deployment}`, `--replicas=${p.replicas ?? 1}`] }];
      break;
    case 'set-env':
      commands = [{ argv: [...kubectl, 'set', 'env', `deployment/${p.deployment}`, ...container, ...Object.entries(p.env ?? {}).map(([k, v]) => (v === null ? `${k}-` : `${k}=${v}`))] }];
      break;
    case 'delete':
      commands = [{ argv: [...kubectl, 'delete', p.resource ?? '', p.name ?? '', '--ignore-not-found'] }];
      break;
    case 'tc-clear':
    case 'exec': {
      const listed = await context.run({ argv: [...kubectl, 'get', 'pods', '-l', p.selector ?? '', '-o', 'json'], isReadOnly: true });
      if (!listed.isOk) return { isOk: false, error: `cannot list pods ${p.selector}: ${listed.stderr.trim()}` };
      const pods = parsePodList(listed.stdout).filter((pod) => (pod.status.phase ?? 'Running') === 'Running');
      const argv = undo.verb === 'exec' ? (p.argv ?? []) : netemDeleteCommand(p.device ?? 'eth0');
      const targets = undo.verb === 'exec' ? pods.slice(0, 1) : pods;
      commands = targets.map((pod) => ({ argv: [...kubectl, 'exec', pod.metadata.name, ...container, '--', ...argv] }));
      break;
    }
    default:
      return { isOk: false, error: `unknown kubectl undo ${undo.verb}` };
  }
  return runSequence(context, commands, tolerate);
}
