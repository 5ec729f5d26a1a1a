// The environment drop-in: how the ssh driver sets CHAOS_ENABLED and
// CHAOS_LATENCY_MS (training 000) on a systemd service without editing its
// unit file. Restore puts back whatever drop-in was there before.

/** The drop-in file chaosdeck owns for a unit. */
export function dropInPath(directory: string, unit: string): string {
  const service = unit.includes('.') ? unit : `${unit}.service`;
  return `${directory.replace(/\/$/, '')}/${service}.d/chaosdeck.conf`;
}

/** Reads `Environment=` assignments from a drop-in's text. */
export function parseDropInEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*Environment\s*=\s*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    for (const assignment of match[1].match(/"[^"]*"|\S+/g) ?? []) {
      const unquoted = assignment.replace(/^"|"$/g, '');
      const equals = unquoted.indexOf('=');
      if (equals > 0) env[unquoted.slice(0, equals)] = unquoted.slice(equals + 1);
    }
  }
  return env;
}

/** Renders a drop-in that sets the given variables, merged over those of a previous chaosdeck drop-in. */
export function renderDropIn(env: Readonly<Record<string, string>>, previous: string | null): string {
  const merged = { ...(previous ? parseDropInEnv(previous) : {}), ...env };
  const lines = Object.entries(merged).map(([key, value]) => `Environment="${key}=${value.replace(/["\\]/g, '\\$&')}"`);
  return ['# Written by chaosdeck; restore removes it.', '[Service]', ...lines, ''].join('\n');
}
