/**
 * The part of Kubernetes' JSONPath dialect (k8s.io/client-go/util/jsonpath,
 * `parser.go` and `jsonpath.go` at v0.32) that CRD `additionalPrinterColumns`
 * use: fields (`.status.url`), quoted keys with escaped dots
 * (`['serving\.knative\.dev/configuration']`), `[*]`, indexes and slices
 * (`[0]`, `[-1:]`, `[1:3:2]`), unions (`[0,2]`) and filters
 * (`[?(@.type=="Ready")]`, `[?(@.latestRevision==true)]`, `[?(@.x)]`).
 * Recursive descent (`..`), `range`/`end` and function calls are not
 * needed by the vendored CRDs and are rejected when a path is parsed.
 *
 * Semantics follow upstream: missing keys give no result (the API server
 * calls `AllowMissingKeys(true)`), an index out of bounds or a comparison of
 * different types is an error (the column's cell becomes null).
 *
 * A maintained npm JSONPath library (jsonpath-plus, jsonpath) was not used:
 * they follow Goessner's dialect, where a filter is a JavaScript expression,
 * `\.` inside a bracketed key is not an escape and mismatched types compare
 * as false instead of failing, so cells would differ from the API server's.
 */

export class JsonPathError extends Error {}

type Literal = string | number | boolean;

type Step =
  | { type: 'field'; name: string }
  | { type: 'wildcard' }
  | {
      type: 'slice';
      start?: number;
      end?: number;
      step?: number;
      index: boolean;
    }
  | { type: 'union'; branches: Step[][] }
  | {
      type: 'filter';
      left: Step[];
      operator?: '==' | '!=' | '<' | '>' | '<=' | '>=';
      right?: Step[] | Literal;
    };

/** A parsed JSONPath expression. */
export interface JsonPath {
  readonly source: string;
  readonly steps: Step[];
}

const FIELD_END = /[.[\]()\s=!<>,]/;

class Parser {
  #pos = 0;
  constructor(readonly text: string) {}

  parse(): Step[] {
    const steps = this.#steps(false);
    if (this.#pos < this.text.length) {
      throw new JsonPathError(
        `unexpected "${this.text.slice(this.#pos)}" in ${this.text}`,
      );
    }
    return steps;
  }

  /** Steps until the end, or (inside a filter) until an operator or `)`. */
  #steps(inFilter: boolean): Step[] {
    const steps: Step[] = [];
    while (this.#pos < this.text.length) {
      const c = this.text[this.#pos];
      if (c === '.') {
        if (this.text[this.#pos + 1] === '.') {
          throw new JsonPathError(
            `recursive descent ("..") is not supported: ${this.text}`,
          );
        }
        this.#pos++;
        steps.push(this.#field());
      } else if (c === '[') {
        steps.push(this.#bracket());
      } else if (inFilter) {
        break;
      } else {
        throw new JsonPathError(`unexpected "${c}" in ${this.text}`);
      }
    }
    return steps;
  }

  #field(): Step {
    let name = '';
    while (this.#pos < this.text.length) {
      const c = this.text[this.#pos];
      if (c === '\\' && this.#pos + 1 < this.text.length) {
        name += this.text[this.#pos + 1];
        this.#pos += 2;
        continue;
      }
      if (FIELD_END.test(c)) break;
      name += c;
      this.#pos++;
    }
    if (name === '*') return { type: 'wildcard' };
    return { type: 'field', name };
  }

  /** The text up to the `]` closing the bracket that starts at the cursor. */
  #bracketText(): string {
    let depth = 0;
    let quote: string | undefined;
    const start = this.#pos;
    for (; this.#pos < this.text.length; this.#pos++) {
      const c = this.text[this.#pos];
      if (quote) {
        if (c === '\\') this.#pos++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') {
        quote = c;
      } else if (c === '[' || c === '(') {
        depth++;
      } else if (c === ']' || c === ')') {
        depth--;
        if (depth === 0 && c === ']') {
          this.#pos++;
          return this.text.slice(start + 1, this.#pos - 1).trim();
        }
      }
    }
    throw new JsonPathError(`unterminated array in ${this.text}`);
  }

  #bracket(): Step {
    const inner = this.#bracketText();
    if (inner.startsWith('?(') && inner.endsWith(')')) {
      return parseFilter(inner.slice(2, -1).trim(), this.text);
    }
    const quoted = /^'([^']*)'$/.exec(inner);
    if (quoted) {
      // A quoted key is parsed as a field, so `\.` is an escaped dot.
      return { type: 'field', name: quoted[1].replace(/\\/g, '') };
    }
    if (inner.includes(',')) {
      return {
        type: 'union',
        branches: inner
          .split(',')
          .map(part => new Parser(`[${part.trim()}]`).parse()),
      };
    }
    return parseSlice(inner === '*' ? ':' : inner, this.text);
  }
}

function parseSlice(text: string, source: string): Step {
  const match = /^(-?\d*)(?::(-?\d*))?(?::(-?\d*))?$/.exec(text);
  if (!match) {
    throw new JsonPathError(`invalid array index "${text}" in ${source}`);
  }
  const num = (s?: string) =>
    s === undefined || s === '' ? undefined : Number(s);
  if (!text.includes(':')) {
    const index = num(match[1]);
    if (index === undefined) {
      throw new JsonPathError(`invalid array index "${text}" in ${source}`);
    }
    return { type: 'slice', start: index, end: index + 1, index: true };
  }
  return {
    type: 'slice',
    start: num(match[1]),
    end: num(match[2]),
    step: num(match[3]),
    index: false,
  };
}

function parseLiteral(text: string): Literal | undefined {
  const quoted = /^(['"])(.*)\1$/s.exec(text);
  if (quoted) return quoted[2].replace(/\\(.)/g, '$1');
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return undefined;
}

function parseOperand(text: string, source: string): Step[] | Literal {
  if (text.startsWith('@')) return new Parser(text.slice(1)).parse();
  const literal = parseLiteral(text);
  if (literal === undefined) {
    throw new JsonPathError(
      `unrecognized filter operand "${text}" in ${source}`,
    );
  }
  return literal;
}

function parseFilter(text: string, source: string): Step {
  const match = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/s.exec(text);
  if (!match) {
    if (!text.startsWith('@')) {
      throw new JsonPathError(`unrecognized filter "${text}" in ${source}`);
    }
    return { type: 'filter', left: new Parser(text.slice(1)).parse() };
  }
  const left = parseOperand(match[1].trim(), source);
  if (!Array.isArray(left)) {
    throw new JsonPathError(`a filter must start with "@" in ${source}`);
  }
  return {
    type: 'filter',
    left,
    operator: match[2] as '==',
    right: parseOperand(match[3].trim(), source),
  };
}

/** Parses a column's JSONPath (with or without the surrounding `{}`). */
export function parseJsonPath(source: string): JsonPath {
  const trimmed = source.trim();
  const inner =
    trimmed.startsWith('{') && trimmed.endsWith('}')
      ? trimmed.slice(1, -1).trim()
      : trimmed;
  if (!inner.startsWith('.') && !inner.startsWith('[')) {
    throw new JsonPathError(`unrecognized identifier ${inner}`);
  }
  return { source, steps: new Parser(inner).parse() };
}

// ---------------------------------------------------------------- evaluation

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function evalSlice(
  values: unknown[],
  step: Extract<Step, { type: 'slice' }>,
): unknown[] {
  const results: unknown[] = [];
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) {
      throw new JsonPathError('value is not array or slice');
    }
    const length = value.length;
    let start = step.start ?? 0;
    if (start < 0) start += length;
    let end = step.end ?? length;
    if (end < 0 || (step.index && end === 0)) end += length;
    if (start === end) continue;
    if (start >= length || start < 0 || end > length || end < 0) {
      throw new JsonPathError(
        `array index out of bounds: index ${start}, length ${length}`,
      );
    }
    if (start > end) {
      throw new JsonPathError(
        `starting index ${start} is greater than ending index ${end}`,
      );
    }
    const stride = step.step ?? 1;
    if (stride <= 0) throw new JsonPathError('step must be > 0');
    for (let i = start; i < end; i += stride) results.push(value[i]);
  }
  return results;
}

function basicKind(value: unknown): string {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'int' : 'float';
  }
  return typeof value;
}

/** text/template's `eq`/`lt` on two values, as the filter compares them. */
function compare(left: unknown, right: unknown, operator: string): boolean {
  const kind = basicKind(left);
  if (
    kind !== basicKind(right) ||
    !['string', 'int', 'float', 'boolean'].includes(kind)
  ) {
    throw new JsonPathError('incompatible types for comparison');
  }
  switch (operator) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
    default:
      if (kind === 'boolean') {
        throw new JsonPathError('invalid type for comparison');
      }
  }
  const l = left as string | number;
  const r = right as string | number;
  switch (operator) {
    case '<':
      return l < r;
    case '>':
      return l > r;
    case '<=':
      return l <= r;
    default:
      return l >= r;
  }
}

function evalFilter(
  values: unknown[],
  step: Extract<Step, { type: 'filter' }>,
): unknown[] {
  const results: unknown[] = [];
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) {
      throw new JsonPathError(
        'value is not array or slice and cannot be filtered',
      );
    }
    for (const element of value) {
      const lefts = evalSteps([element], step.left);
      if (step.operator === undefined) {
        if (lefts.length > 0) results.push(element);
        continue;
      }
      if (lefts.length === 0) continue;
      if (lefts.length > 1) {
        throw new JsonPathError('can only compare one element at a time');
      }
      const rights = Array.isArray(step.right)
        ? evalSteps([element], step.right)
        : [step.right];
      if (rights.length === 0) continue;
      if (rights.length > 1) {
        throw new JsonPathError('can only compare one element at a time');
      }
      if (compare(lefts[0], rights[0], step.operator)) results.push(element);
    }
  }
  return results;
}

function evalStep(values: unknown[], step: Step): unknown[] {
  switch (step.type) {
    case 'field':
      return values
        .filter(isMap)
        .filter(value => Object.prototype.hasOwnProperty.call(value, step.name))
        .map(value => value[step.name]);
    case 'wildcard':
      return values.flatMap(value => {
        if (Array.isArray(value)) return value;
        if (isMap(value)) {
          return Object.keys(value)
            .sort()
            .map(key => value[key]);
        }
        return [];
      });
    case 'slice':
      return evalSlice(values, step);
    case 'union':
      return step.branches.flatMap(branch => evalSteps(values, branch));
    default:
      return evalFilter(values, step);
  }
}

function evalSteps(values: unknown[], steps: Step[]): unknown[] {
  return steps.reduce((current, step) => evalStep(current, step), values);
}

/**
 * Every value the path selects in `data` (upstream `FindResults`); throws a
 * {@link JsonPathError} where upstream returns an error.
 */
export function findResults(path: JsonPath, data: unknown): unknown[] {
  return evalSteps([data], path.steps);
}
