import { z } from 'zod';
import type { TargetStatus } from '../engine/events';
import type { BlastRadius } from './kubectl-config';

// Pods as kubectl reports them: which ones a fault may hit (the blast radius),
// and how each one shows in the Status pane.

export const PodSchema = z.looseObject({
  metadata: z.looseObject({ name: z.string(), deletionTimestamp: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }),
  status: z
    .looseObject({
      phase: z.string().optional(),
      startTime: z.string().optional(),
      podIP: z.string().optional(),
      containerStatuses: z
        .array(z.looseObject({ name: z.string(), ready: z.boolean().default(false), restartCount: z.number().int().default(0), state: z.record(z.string(), z.unknown()).optional() }))
        .optional(),
    })
    .default({}),
});
export type Pod = z.infer<typeof PodSchema>;

/** Parses `kubectl get pods -o json`. */
export function parsePodList(stdout: string): Pod[] {
  const parsed = z.looseObject({ items: z.array(z.unknown()) }).safeParse(safeJson(stdout));
  if (!parsed.success) return [];
  return parsed.data.items.flatMap((item) => {
    const pod = PodSchema.safeParse(item);
    return pod.success ? [pod.data] : [];
  });
}

/** How many pods of `total` a blast radius hits (at least one when there is any). */
export function blastCount(radius: BlastRadius, total: number): number {
  if (total === 0) return 0;
  if (radius === 'one') return 1;
  if (radius === 'all') return total;
  if (typeof radius === 'number') return Math.min(radius, total);
  return Math.max(1, Math.min(total, Math.round((Number(radius.slice(0, -1)) / 100) * total)));
}

/** Picks the pods a fault hits: running ones, chosen at random, as many as the blast radius says. */
export function pickPods(pods: readonly Pod[], radius: BlastRadius, random: () => number = Math.random): Pod[] {
  const candidates = pods.filter((p) => !p.metadata.deletionTimestamp && (p.status.phase ?? 'Running') === 'Running');
  const shuffled = [...candidates];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  return shuffled.slice(0, blastCount(radius, candidates.length));
}

/** A pod's row in the Status pane. */
export function podStatus(pod: Pod): TargetStatus {
  const containers = pod.status.containerStatuses ?? [];
  const waiting = containers.map((c) => c.state?.waiting as { reason?: string } | undefined).find((w) => w?.reason);
  const state = pod.metadata.deletionTimestamp ? 'Terminating' : (waiting?.reason ?? pod.status.phase ?? 'Unknown');
  const since = pod.status.startTime ? Date.parse(pod.status.startTime) : NaN;
  return {
    name: pod.metadata.name,
    state,
    isReady: containers.length > 0 && containers.every((c) => c.ready) && !pod.metadata.deletionTimestamp,
    restarts: containers.reduce((sum, c) => sum + c.restartCount, 0),
    ...(Number.isFinite(since) ? { since } : {}),
    ...(pod.status.podIP ? { detail: pod.status.podIP } : {}),
  };
}

/**
 * Splits kubectl's watch output (pretty-printed JSON objects, one after the
 * other) into whole objects, fed line by line.
 */
export function createJsonObjectSplitter(onObject: (value: unknown) => void): (line: string) => void {
  let buffer = '';
  let depth = 0;
  let isInString = false;
  let isEscaped = false;
  return (line) => {
    for (const char of `${line}\n`) {
      if (depth === 0 && char !== '{') continue;
      buffer += char;
      if (isInString) {
        if (isEscaped) isEscaped = false;
        else if (char === '\\') isEscaped = true;
        else if (char === '"') isInString = false;
        continue;
      }
      if (char === '"') isInString = true;
      else if (char === '{') depth++;
      else if (char === '}' && --depth === 0) {
        const text = buffer;
        buffer = '';
        const value = safeJson(text);
        if (value !== undefined) onObject(value);
      }
    }
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
