// The Prometheus text exposition format (version 0.0.4, and the OpenMetrics
// subset services commonly emit): every sample with its labels, so readers
// can pick the series they need from a scraped /metrics page.

/** One sample of one series. */
export interface PromSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Milliseconds since the epoch, when the exposition gave one. */
  readonly timestamp?: number;
}

/** A parsed exposition: samples in order, and the declared type of each metric family. */
export interface PromExposition {
  readonly samples: readonly PromSample[];
  readonly types: ReadonlyMap<string, string>;
  /** Lines that could not be parsed, with their 1-based line number. */
  readonly errors: readonly string[];
}

/** Parses a text exposition; malformed lines are reported in `errors`, never thrown. */
export function parsePrometheusText(text: string): PromExposition {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  const errors: string[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const type = /^#\s*TYPE\s+(\S+)\s+(\S+)/.exec(line);
      if (type?.[1] && type[2]) types.set(type[1], type[2]);
      continue;
    }
    const sample = parseSampleLine(line);
    if (sample) samples.push(sample);
    else errors.push(`line ${index + 1}: ${line.slice(0, 80)}`);
  }
  return { samples, types, errors };
}

/** Parses one sample line, or returns null when it is not one. */
export function parseSampleLine(line: string): PromSample | null {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) return null;
  const name = nameMatch[0];
  let position = name.length;
  let labels: Record<string, string> = {};
  if (line[position] === '{') {
    const parsed = parseLabels(line, position + 1);
    if (!parsed) return null;
    labels = parsed.labels;
    position = parsed.end;
  }
  const rest = line.slice(position).trim().split(/\s+/);
  const value = parseValue(rest[0] ?? '');
  if (value === null) return null;
  const timestamp = rest[1] === undefined ? undefined : Number(rest[1]);
  if (timestamp !== undefined && !Number.isFinite(timestamp)) return null;
  return timestamp === undefined ? { name, labels, value } : { name, labels, value, timestamp };
}

function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } | null {
  const labels: Record<string, string> = {};
  let position = start;
  for (;;) {
    while (line[position] === ' ' || line[position] === ',') position++;
    if (line[position] === '}') return { labels, end: position + 1 };
    const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(position));
    if (!key) return null;
    position += key[0].length;
    while (line[position] === ' ') position++;
    if (line[position] !== '=') return null;
    position++;
    while (line[position] === ' ') position++;
    if (line[position] !== '"') return null;
    position++;
    let value = '';
    for (;;) {
      const char = line[position];
      if (char === undefined) return null;
      if (char === '"') break;
      if (char === '\\') {
        const next = line[position + 1];
        value += next === 'n' ? '\n' : (next ?? '');
        position += 2;
        continue;
      }
      value += char;
      position++;
    }
    labels[key[0]] = value;
    position++;
  }
}

function parseValue(text: string): number | null {
  if (text === '') return null;
  if (/^[+]?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

/** The samples of one metric whose labels include every given label. */
export function selectSamples(exposition: PromExposition, name: string, labels: Readonly<Record<string, string>> = {}): PromSample[] {
  return exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}
