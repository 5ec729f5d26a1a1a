// Secrets never reach the screen, a recording or a follower's stream. One
// redactor serves the command echo, the events and the recorder.

const MASK = '••••••';

const PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(authorization\s*[:=]\s*)(bearer|basic|token)?\s*[^\s"',]+/gi,
  /\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b((?:api[_-]?key|access[_-]?key|secret(?:[_-]?key)?|password|passwd|pwd|token|auth[_-]?token|client[_-]?secret)\s*[:=]\s*["']?)[^\s"'&,;]+/gi,
  /(--(?:password|token|secret|api-key|auth)[= ])[^\s]+/gi,
  /(:\/\/[^:/\s@]+:)[^@/\s]+(@)/g,
  /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g,
];

// One cheap test per string: only text containing one of these can match a pattern.
const MAYBE_SECRET = /private key|authori[sz]ation|bearer|key|secret|passw|pwd|token|auth|:\/\/[^\s/]*@|AKIA|ASIA|gh[pousr]_/i;

/** Replaces secrets in text; values are the literal secrets an environment declares. */
export type Redactor = (text: string) => string;

/**
 * Builds a redactor that masks every given literal value (4 characters or more)
 * and the well-known secret shapes: private keys, Authorization headers, bearer
 * tokens, `password=…`/`token: …` pairs, credentials in URLs, cloud access keys.
 */
export function createRedactor(values: Iterable<string> = []): Redactor {
  const literals = [...new Set([...values].filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const literal of literals) if (out.includes(literal)) out = out.split(literal).join(MASK);
    if (!MAYBE_SECRET.test(out)) return out;
    for (const pattern of PATTERNS) {
      out = out.replace(pattern, (match, ...groups) => {
        const prefix = typeof groups[0] === 'string' && groups.length > 2 ? groups[0] : '';
        if (match.startsWith('-----BEGIN')) return `-----BEGIN PRIVATE KEY----- ${MASK}`;
        if (pattern.source.startsWith('(:\\/\\/')) return `${groups[0]}${MASK}${groups[1]}`;
        return prefix && match.startsWith(prefix) ? `${prefix}${MASK}` : MASK;
      });
    }
    return out;
  };
}

/**
 * Redacts every string inside a JSON-safe value, returning a copy. With
 * `keys`, object keys are masked too (recordings, where a secret used as a
 * map key must not reach disk either); the live bus leaves keys alone.
 */
export function redactDeep<T>(value: T, redact: Redactor, { keys = false }: { keys?: boolean } = {}): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, { keys })) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[keys ? redact(k) : k] = redactDeep(v, redact, { keys });
    return out as T;
  }
  return value;
}

/** The values of the named environment variables that are set, for `createRedactor`. */
export function secretValuesFromEnv(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return names.map((n) => env[n]).filter((v): v is string => typeof v === 'string' && v.length > 0);
}
