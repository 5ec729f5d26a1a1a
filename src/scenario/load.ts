import { readFile } from 'node:fs/promises';
import { basename, dirname, relative } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { DeckError } from '../engine/errors';
import { EnvironmentSchema, type Environment } from './environment';
import { ScenarioSchema, type Scenario } from './schema';
import { didYouMean } from './suggest';

// YAML in, typed model out, or every problem at `file:line:column: message`.
// The yaml package keeps source ranges; zod's issue paths are walked back to
// the node they name, so the position points at the offending key or value.

/** One problem in an input file. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** Renders diagnostics the way compilers do, one per line. */
export function formatDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n');
}

/** A file that does not parse or does not fit its schema. */
export class InputError extends DeckError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(code: 'SCENARIO_INVALID' | 'ENVIRONMENT_INVALID', diagnostics: readonly Diagnostic[]) {
    super(code, formatDiagnostics(diagnostics));
    this.name = 'InputError';
    this.diagnostics = diagnostics;
  }
}

/** A parsed YAML document with the means to locate a path in it. */
export interface SourceDocument {
  readonly file: string;
  readonly document: Document;
  readonly data: unknown;
  /** Line and column (1-based) of the node at `path`, or of its nearest existing parent. */
  locate(path: readonly PropertyKey[], key?: string): { line: number; column: number };
}

/** Parses YAML text, throwing an InputError that points at syntax errors. */
export function parseYamlSource(file: string, text: string, code: 'SCENARIO_INVALID' | 'ENVIRONMENT_INVALID'): SourceDocument {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new InputError(
      code,
      document.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { file, line: pos.line, column: pos.col, message: firstLine(error.message) };
      }),
    );
  }
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  return {
    file,
    document,
    data: document.toJS({ maxAliasCount: 100 }),
    locate(path, key) {
      let node: unknown = document.contents;
      for (const segment of path) {
        const next = childOf(node, segment);
        if (next === undefined) break;
        node = next;
      }
      if (key !== undefined && isMap(node)) {
        const pair = node.items.find((p) => keyName(p.key) === key);
        const keyNode = pair?.key as Node | undefined;
        if (keyNode?.range) return at(keyNode.range[0]);
      }
      const range = (node as Node | null)?.range;
      return range ? at(range[0]) : { line: 1, column: 1 };
    },
  };
}

function childOf(node: unknown, segment: PropertyKey): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => keyName(p.key) === String(segment));
    return pair?.value ?? pair?.key ?? undefined;
  }
  if (isSeq(node) && typeof segment === 'number') return node.items[segment];
  return undefined;
}

function keyName(key: unknown): string {
  return key && typeof key === 'object' && 'value' in key ? String((key as { value: unknown }).value) : String(key);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Validates parsed YAML against a schema, mapping zod issues to positions. */
export function validateSource<S extends z.ZodType>(source: SourceDocument, schema: S, code: 'SCENARIO_INVALID' | 'ENVIRONMENT_INVALID'): z.infer<S> {
  const result = schema.safeParse(source.data);
  if (result.success) return result.data;
  const diagnostics = issuesToDiagnostics(source, schema, result.error.issues, source.data);
  throw new InputError(code, dedupe(diagnostics));
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics
    .filter((d) => {
      const key = `${d.line}:${d.column}:${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment as string];
  }
  return value;
}

function issuesToDiagnostics(source: SourceDocument, root: z.ZodType, issues: readonly z.core.$ZodIssue[], data: unknown, prefix: readonly PropertyKey[] = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const where = (key?: string) => ({ file: source.file, ...source.locate(path, key) });
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(root, data, path);
        for (const key of issue.keys) out.push({ ...where(key), message: `unknown key '${key}'${didYouMean(key, known)}` });
        break;
      }
      case 'invalid_union': {
        const discriminator = (issue as { discriminator?: string }).discriminator;
        if (discriminator) {
          // zod 4 puts the discriminator itself at the end of the path.
          const value = valueAt(data, path);
          const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
          const message = value === undefined
            ? `missing '${discriminator}' (one of ${options.join(', ')})`
            : `unknown ${discriminator} '${String(value)}'${didYouMean(String(value), options)}`;
          out.push({ file: source.file, ...source.locate(value === undefined ? path.slice(0, -1) : path), message });
          break;
        }
        // A plain union: report the branch that came closest (fewest issues).
        const branches = issue.errors.filter((b) => b.length > 0).sort((a, b) => a.length - b.length);
        if (branches[0]) out.push(...issuesToDiagnostics(source, root, branches[0], data, path));
        else out.push({ ...where(), message: issue.message });
        break;
      }
      case 'invalid_type': {
        const value = valueAt(data, path);
        const message = value === undefined
          ? `missing required key '${String(path[path.length - 1])}'`
          : `expected ${issue.expected}, got ${describeValue(value)}`;
        const parentPath = path.slice(0, -1);
        out.push(value === undefined
          ? { file: source.file, ...source.locate(parentPath), message }
          : { ...where(), message });
        break;
      }
      case 'invalid_value': {
        const value = valueAt(data, path);
        const options = issue.values.map(String);
        const name = String(path[path.length - 1] ?? 'value');
        out.push({ ...where(), message: `unknown ${name} '${String(value)}'${didYouMean(String(value), options)}; expected one of ${options.join(', ')}` });
        break;
      }
      default:
        out.push({ ...where(), message: issue.message });
    }
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

// The keys the schema allows where an unknown key was found, for did-you-mean.
function knownKeys(root: z.ZodType, data: unknown, path: readonly PropertyKey[]): string[] {
  const shape = shapeFor(root, path, valueAt(data, path));
  return shape ? Object.keys(shape) : [];
}

function shapeFor(root: z.ZodType, path: readonly PropertyKey[], value: unknown): Record<string, unknown> | undefined {
  let schema: z.ZodType = root;
  for (const segment of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[segment as string] as z.ZodType;
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else return undefined;
    if (!schema) return undefined;
  }
  schema = unwrap(schema);
  if (schema instanceof z.ZodDiscriminatedUnion && value && typeof value === 'object') {
    const verb = (value as Record<string, unknown>).verb;
    const match = schema.options.find((o) => o instanceof z.ZodObject && o.shape.verb?.value === verb);
    return match instanceof z.ZodObject ? match.shape : undefined;
  }
  if (schema instanceof z.ZodUnion && value && typeof value === 'object') {
    // The branch sharing the most keys with what the author wrote.
    const keys = Object.keys(value);
    let best: Record<string, unknown> | undefined;
    let bestScore = -1;
    for (const option of schema.options) {
      const o = unwrap(option as z.ZodType);
      if (!(o instanceof z.ZodObject)) continue;
      const score = keys.filter((k) => k in o.shape).length;
      if (score > bestScore) [best, bestScore] = [o.shape, score];
    }
    return best;
  }
  return schema instanceof z.ZodObject ? schema.shape : undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let i = 0; i < 8; i++) {
    if (current instanceof z.ZodDefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else break;
  }
  return current;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new DeckError('FILE_NOT_FOUND', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}

/** A scenario with where it came from. */
export interface LoadedScenario {
  readonly file: string;
  readonly scenario: Scenario;
  readonly source: SourceDocument;
}

/** Parses and validates scenario YAML text; `file` is used in messages. */
export function parseScenario(file: string, text: string): LoadedScenario {
  const source = parseYamlSource(file, text, 'SCENARIO_INVALID');
  const scenario = validateSource(source, ScenarioSchema, 'SCENARIO_INVALID');
  const pack = scenario.pack ?? basename(dirname(file));
  return { file, source, scenario: { ...scenario, pack } };
}

/** Loads a scenario file. Throws InputError (SCENARIO_INVALID) or DeckError (FILE_NOT_FOUND). */
export async function loadScenarioFile(file: string, cwd = process.cwd()): Promise<LoadedScenario> {
  const shown = displayPath(file, cwd);
  return { ...parseScenario(shown, await readText(file)), file };
}

/** An environment profile with where it came from. */
export interface LoadedEnvironment {
  readonly file: string;
  readonly environment: Environment;
  readonly source: SourceDocument;
}

/** Parses and validates an environment profile. */
export function parseEnvironment(file: string, text: string): LoadedEnvironment {
  const source = parseYamlSource(file, text, 'ENVIRONMENT_INVALID');
  return { file, source, environment: validateSource(source, EnvironmentSchema, 'ENVIRONMENT_INVALID') };
}

/** Loads an environment profile file. */
export async function loadEnvironmentFile(file: string, cwd = process.cwd()): Promise<LoadedEnvironment> {
  return { ...parseEnvironment(displayPath(file, cwd), await readText(file)), file };
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}
