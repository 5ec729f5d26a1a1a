// tc netem, shared by the drivers that reach a Linux network stack (docker exec,
// kubectl exec, ssh). Without a destination the qdisc sits at the root; with
// one, a prio qdisc sends only that destination's packets through netem.

/** What to impair: delay (with jitter) and/or loss, optionally only towards one address. */
export interface NetemSpec {
  readonly device: string;
  readonly delayMs?: number;
  readonly jitterMs?: number;
  readonly lossPercent?: number;
  /** An IPv4 address or CIDR; only traffic to it is impaired. */
  readonly to?: string;
}

/** The tc invocations (argv without any prefix such as `docker exec C` or `sudo`) that add the impairment. */
export function netemAddCommands(spec: NetemSpec): string[][] {
  const impairment: string[] = ['netem'];
  if (spec.delayMs !== undefined) {
    impairment.push('delay', `${spec.delayMs}ms`);
    if (spec.jitterMs) impairment.push(`${spec.jitterMs}ms`);
  }
  if (spec.lossPercent !== undefined) impairment.push('loss', `${spec.lossPercent}%`);
  if (!spec.to) return [['tc', 'qdisc', 'replace', 'dev', spec.device, 'root', ...impairment]];
  const destination = spec.to.includes('/') ? spec.to : `${spec.to}/32`;
  return [
    ['tc', 'qdisc', 'replace', 'dev', spec.device, 'root', 'handle', '1:', 'prio'],
    ['tc', 'qdisc', 'replace', 'dev', spec.device, 'parent', '1:3', 'handle', '30:', ...impairment],
    ['tc', 'filter', 'replace', 'dev', spec.device, 'parent', '1:0', 'protocol', 'ip', 'prio', '3', 'u32', 'match', 'ip', 'dst', destination, 'flowid', '1:3'],
  ];
}

/** The tc invocation that removes whatever chaosdeck put at the root of the device. */
export function netemDeleteCommand(device: string): string[] {
  return ['tc', 'qdisc', 'del', 'dev', device, 'root'];
}

/** True when tc's answer means there was nothing to delete, so an undo has already happened. */
export function isNothingToDelete(stderr: string): boolean {
  return /Cannot delete qdisc with handle of zero|No such file or directory|Cannot find specified qdisc/i.test(stderr);
}
