// JSONPath for Chaos Toolkit's `jsonpath` tolerance (chaoslib evaluates it with
// jsonpath2). The common subset: `$`, `.name`, `['name']`, `.*`, `[*]`, `..`,
// indexes (negative too), unions `[0,2]`, slices `[a:b:c]`, and filters
// `[?(@.a.b > 1 and @.c = "x")]` with = == != < <= > >=, and/or/&&/||, not/!.

/** A JSONPath that does not parse. */
export class JsonPathError extends Error {
  constructor(path: string, detail: string) {
    super(`JSONPath '${path}' is invalid: ${detail}`);
    this.name = 'JsonPathError';
  }
}

type Selector =
  | { kind: 'name'; names: string[] }
  | { kind: 'wildcard' }
  | { kind: 'index'; indexes: number[] }
  | { kind: 'slice'; start?: number; end?: number; step: number }
  | { kind: 'filter'; expr: Expr };
type Segment = { selector: Selector; isDescendant: boolean };
type Operand = { kind: 'path'; root: '@' | '$'; segments: Segment[] } | { kind: 'literal'; value: unknown };
type Expr =
  | { kind: 'compare'; op: string; left: Operand; right: Operand }
  | { kind: 'exists'; operand: Operand }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; expr: Expr };

/** A compiled JSONPath. */
export interface JsonPath {
  /** Every value the path matches in `document`, in document order. */
  match(document: unknown): unknown[];
}

/** Parses a JSONPath; throws JsonPathError with what is wrong. */
export function compileJsonPath(path: string): JsonPath {
  const parser = new Parser(path);
  const segments = parser.parseRoot();
  return { match: (document) => evaluate(segments, [document], document) };
}

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  private fail(detail: string): never {
    throw new JsonPathError(this.text, `${detail} at character ${this.i + 1}`);
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  private peek(s: string): boolean {
    return this.text.startsWith(s, this.i);
  }

  private expect(s: string): void {
    this.skipSpace();
    if (!this.peek(s)) this.fail(`expected '${s}'`);
    this.i += s.length;
  }

  parseRoot(): Segment[] {
    this.skipSpace();
    if (!this.peek('$')) this.fail("a path starts with '$'");
    this.i++;
    const segments = this.parseSegments();
    this.skipSpace();
    if (this.i < this.text.length) this.fail(`unexpected '${this.text[this.i]}'`);
    return segments;
  }

  private parseSegments(): Segment[] {
    const segments: Segment[] = [];
    for (;;) {
      if (this.peek('..')) {
        this.i += 2;
        if (this.peek('[')) segments.push({ selector: this.parseBracket(), isDescendant: true });
        else segments.push({ selector: this.parseDotted(), isDescendant: true });
      } else if (this.peek('.')) {
        this.i++;
        segments.push({ selector: this.parseDotted(), isDescendant: false });
      } else if (this.peek('[')) {
        segments.push({ selector: this.parseBracket(), isDescendant: false });
      } else {
        return segments;
      }
    }
  }

  private parseDotted(): Selector {
    if (this.peek('*')) {
      this.i++;
      return { kind: 'wildcard' };
    }
    const match = /^[A-Za-z_$][\w$-]*/.exec(this.text.slice(this.i));
    if (!match) this.fail('expected a name after \'.\'');
    this.i += match[0].length;
    return { kind: 'name', names: [match[0]] };
  }

  private parseBracket(): Selector {
    this.expect('[');
    this.skipSpace();
    let selector: Selector;
    if (this.peek('*')) {
      this.i++;
      selector = { kind: 'wildcard' };
    } else if (this.peek('?')) {
      this.i++;
      this.expect('(');
      const expr = this.parseOr();
      this.expect(')');
      selector = { kind: 'filter', expr };
    } else if (this.peek("'") || this.peek('"')) {
      const names = [this.parseString()];
      this.skipSpace();
      while (this.peek(',')) {
        this.i++;
        this.skipSpace();
        names.push(this.parseString());
        this.skipSpace();
      }
      selector = { kind: 'name', names };
    } else {
      selector = this.parseIndexOrSlice();
    }
    this.expect(']');
    return selector;
  }

  private parseString(): string {
    const quote = this.text[this.i]!;
    let out = '';
    this.i++;
    while (this.i < this.text.length && this.text[this.i] !== quote) {
      if (this.text[this.i] === '\\') this.i++;
      out += this.text[this.i] ?? '';
      this.i++;
    }
    if (this.text[this.i] !== quote) this.fail('unterminated string');
    this.i++;
    return out;
  }

  private parseInt(): number | undefined {
    this.skipSpace();
    const match = /^-?\d+/.exec(this.text.slice(this.i));
    if (!match) return undefined;
    this.i += match[0].length;
    this.skipSpace();
    return Number(match[0]);
  }

  private parseIndexOrSlice(): Selector {
    const first = this.parseInt();
    if (this.peek(':')) {
      this.i++;
      const end = this.parseInt();
      let step = 1;
      if (this.peek(':')) {
        this.i++;
        step = this.parseInt() ?? 1;
        if (step === 0) this.fail('a slice step cannot be 0');
      }
      return { kind: 'slice', start: first, end, step };
    }
    if (first === undefined) this.fail('expected an index, a name, * or a filter');
    const indexes = [first];
    while (this.peek(',')) {
      this.i++;
      const next = this.parseInt();
      if (next === undefined) this.fail('expected an index');
      indexes.push(next);
    }
    return { kind: 'index', indexes };
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    for (;;) {
      this.skipSpace();
      if (this.peek('||')) this.i += 2;
      else if (/^or\b/.test(this.text.slice(this.i))) this.i += 2;
      else return left;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
  }

  private parseAnd(): Expr {
    let left = this.parseUnary();
    for (;;) {
      this.skipSpace();
      if (this.peek('&&')) this.i += 2;
      else if (/^and\b/.test(this.text.slice(this.i))) this.i += 3;
      else return left;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
  }

  private parseUnary(): Expr {
    this.skipSpace();
    if (this.peek('!') && !this.peek('!=')) {
      this.i++;
      return { kind: 'not', expr: this.parseUnary() };
    }
    if (/^not\b/.test(this.text.slice(this.i))) {
      this.i += 3;
      return { kind: 'not', expr: this.parseUnary() };
    }
    if (this.peek('(')) {
      this.i++;
      const expr = this.parseOr();
      this.expect(')');
      return expr;
    }
    const left = this.parseOperand();
    this.skipSpace();
    const op = ['==', '!=', '<=', '>=', '=', '<', '>'].find((o) => this.peek(o));
    if (!op) return { kind: 'exists', operand: left };
    this.i += op.length;
    return { kind: 'compare', op: op === '=' ? '==' : op, left, right: this.parseOperand() };
  }

  private parseOperand(): Operand {
    this.skipSpace();
    const c = this.text[this.i];
    if (c === '@' || c === '$') {
      this.i++;
      return { kind: 'path', root: c, segments: this.parseSegments() };
    }
    if (c === "'" || c === '"') return { kind: 'literal', value: this.parseString() };
    const rest = this.text.slice(this.i);
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(rest);
    if (number) {
      this.i += number[0].length;
      return { kind: 'literal', value: Number(number[0]) };
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (rest.startsWith(word)) {
        this.i += word.length;
        return { kind: 'literal', value };
      }
    }
    return this.fail('expected @, $, a string, a number, true, false or null');
  }
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') return Object.values(value);
  return [];
}

function descendantsAndSelf(value: unknown): unknown[] {
  const out = [value];
  for (const child of children(value)) out.push(...descendantsAndSelf(child));
  return out;
}

function select(selector: Selector, value: unknown, root: unknown): unknown[] {
  switch (selector.kind) {
    case 'wildcard':
      return children(value);
    case 'name':
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
      return selector.names.filter((n) => Object.hasOwn(value, n)).map((n) => (value as Record<string, unknown>)[n]);
    case 'index': {
      if (!Array.isArray(value)) return [];
      return selector.indexes.map((i) => (i < 0 ? value.length + i : i)).filter((i) => i >= 0 && i < value.length).map((i) => value[i]);
    }
    case 'slice': {
      if (!Array.isArray(value)) return [];
      const n = value.length;
      const norm = (i: number) => (i < 0 ? Math.max(0, n + i) : Math.min(n, i));
      const out: unknown[] = [];
      if (selector.step > 0) {
        for (let i = norm(selector.start ?? 0); i < norm(selector.end ?? n); i += selector.step) out.push(value[i]);
      } else {
        const start = selector.start === undefined ? n - 1 : Math.min(n - 1, selector.start < 0 ? n + selector.start : selector.start);
        const end = selector.end === undefined ? -1 : selector.end < 0 ? n + selector.end : selector.end;
        for (let i = start; i > end; i += selector.step) out.push(value[i]);
      }
      return out;
    }
    case 'filter':
      return children(value).filter((child) => test(selector.expr, child, root));
  }
}

function evaluate(segments: readonly Segment[], start: unknown[], root: unknown): unknown[] {
  let current = start;
  for (const segment of segments) {
    const next: unknown[] = [];
    for (const value of current) {
      const bases = segment.isDescendant ? descendantsAndSelf(value) : [value];
      for (const base of bases) next.push(...select(segment.selector, base, root));
    }
    current = next;
  }
  return current;
}

function operandValues(operand: Operand, current: unknown, root: unknown): unknown[] {
  if (operand.kind === 'literal') return [operand.value];
  return evaluate(operand.segments, [operand.root === '@' ? current : root], root);
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==': return deepEqual(a, b);
    case '!=': return !deepEqual(a, b);
    default: {
      const bothNumbers = typeof a === 'number' && typeof b === 'number';
      const bothStrings = typeof a === 'string' && typeof b === 'string';
      if (!bothNumbers && !bothStrings) return false;
      const [x, y] = [a as number | string, b as number | string];
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
}

function test(expr: Expr, current: unknown, root: unknown): boolean {
  switch (expr.kind) {
    case 'and': return test(expr.left, current, root) && test(expr.right, current, root);
    case 'or': return test(expr.left, current, root) || test(expr.right, current, root);
    case 'not': return !test(expr.expr, current, root);
    case 'exists': return operandValues(expr.operand, current, root).some((v) => v !== undefined && v !== null && v !== false);
    case 'compare': {
      const lefts = operandValues(expr.left, current, root);
      const rights = operandValues(expr.right, current, root);
      return lefts.some((l) => rights.some((r) => compare(expr.op, l, r)));
    }
  }
}

/** Deep equality of JSON values, with no coercion (Python's `==` on JSON data, booleans aside). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => deepEqual(v, other[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
