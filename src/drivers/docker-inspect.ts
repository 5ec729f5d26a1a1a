import { z } from 'zod';
import type { TargetStatus } from '../engine/events';

// `docker inspect` is how the docker driver reads what it is about to change
// (running or not, limits, networks) so every undo restores the real previous
// value. Only the fields chaosdeck reads are declared; the rest pass through.

export const ContainerInspectSchema = z.looseObject({
  Id: z.string(),
  Name: z.string(),
  RestartCount: z.number().int().nonnegative().default(0),
  State: z.looseObject({
    Status: z.string(),
    Running: z.boolean().default(false),
    Paused: z.boolean().default(false),
    Restarting: z.boolean().default(false),
    OOMKilled: z.boolean().default(false),
    ExitCode: z.number().int().default(0),
    StartedAt: z.string().optional(),
    Health: z.looseObject({ Status: z.string() }).nullish(),
  }),
  HostConfig: z
    .looseObject({
      NanoCpus: z.number().default(0),
      CpuQuota: z.number().default(0),
      CpuPeriod: z.number().default(0),
      Memory: z.number().default(0),
      MemorySwap: z.number().default(0),
    })
    .default({ NanoCpus: 0, CpuQuota: 0, CpuPeriod: 0, Memory: 0, MemorySwap: 0 }),
  NetworkSettings: z
    .looseObject({ Networks: z.record(z.string(), z.unknown()).nullish() })
    .default({ Networks: {} }),
});
export type ContainerInspect = z.infer<typeof ContainerInspectSchema>;

/** Parses `docker inspect` output (a JSON array); containers that failed to parse are left out. */
export function parseInspect(stdout: string): ContainerInspect[] {
  let raw: unknown;
  try {
    raw = JSON.parse(stdout || '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    const parsed = ContainerInspectSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The networks a container is attached to. */
export function networksOf(container: ContainerInspect): string[] {
  return Object.keys(container.NetworkSettings.Networks ?? {});
}

/** A container's row in the Status pane. */
export function statusOf(container: ContainerInspect, shownName: string): TargetStatus {
  const health = container.State.Health?.Status;
  const state = container.State.OOMKilled && !container.State.Running ? 'oomkilled' : container.State.Status;
  const since = container.State.StartedAt ? Date.parse(container.State.StartedAt) : NaN;
  return {
    name: shownName,
    state,
    isReady: container.State.Running && !container.State.Paused && (health === undefined || health === 'healthy'),
    restarts: container.RestartCount,
    ...(Number.isFinite(since) && since > 0 ? { since } : {}),
    detail: [health ? `health ${health}` : '', container.State.Running ? '' : `exit ${container.State.ExitCode}`].filter(Boolean).join(', ') || undefined,
  };
}

/** The `docker update` arguments that put CPU limits back the way inspect found them. */
export function cpuRestoreArgs(previous: ContainerInspect['HostConfig']): string[] {
  if (previous.NanoCpus > 0) return ['--cpus', String(previous.NanoCpus / 1e9)];
  return ['--cpu-period', String(previous.CpuPeriod || 100_000), '--cpu-quota', String(previous.CpuQuota > 0 ? previous.CpuQuota : -1)];
}

/** The `docker update` arguments that limit CPU to `cpus`, in the form the container's existing limit allows. */
export function cpuLimitArgs(previous: ContainerInspect['HostConfig'], cpus: number): string[] {
  if (previous.NanoCpus > 0) return ['--cpus', String(cpus)];
  return ['--cpu-period', '100000', '--cpu-quota', String(Math.max(1000, Math.round(cpus * 100_000)))];
}

/**
 * The `docker update` arguments that put memory limits back. The docker CLI
 * cannot remove a memory limit (`--memory -1` is refused), so an unlimited
 * container gets the host's total memory, which is the same in effect.
 */
export function memoryRestoreArgs(previous: ContainerInspect['HostConfig'], hostMemoryBytes: number): string[] {
  const memory = previous.Memory > 0 ? previous.Memory : hostMemoryBytes;
  return ['--memory', String(memory), '--memory-swap', String(previous.MemorySwap !== 0 ? previous.MemorySwap : -1)];
}
