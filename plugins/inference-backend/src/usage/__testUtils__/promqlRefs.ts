/**
 * What a PromQL expression refers to, for tests: series names with the labels their selectors
 * match on, the labels it groups by (`by`, `without`, `on`, `ignoring`), the labels
 * `label_replace` creates or reads, functions, and string literals (decoded). A small tokenizer
 * (string literals with Go escapes, identifiers, Grafana variables, numbers and durations,
 * punctuation), enough for the portal's templates and the Grafana dashboard, not a PromQL parser.
 */

type Token =
  | { type: 'ident'; text: string }
  | { type: 'string'; text: string; raw: string }
  | { type: 'var' | 'number'; text: string }
  | { type: 'punct'; text: string };

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
]);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring']);

/** Decodes a PromQL double- or single-quoted literal's body (Go escapes used by the templates). */
function unescape(body: string): string {
  return body.replace(/\\(.)/g, (_m, c: string) => {
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    if (c === 't') return '\t';
    return c;
  });
}

export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < expr.length && expr[j] !== c) {
        if (expr[j] === '\\' && c !== '`') j++;
        if (expr[j] === '\n' && c !== '`')
          throw new Error(`raw line break in a string literal at ${j}`);
        j++;
      }
      if (j >= expr.length)
        throw new Error(`unterminated string literal at ${i}`);
      const raw = expr.slice(i, j + 1);
      const body = expr.slice(i + 1, j);
      tokens.push({
        type: 'string',
        raw,
        text: c === '`' ? body : unescape(body),
      });
      i = j + 1;
    } else if (c === '$') {
      const m = /^\$(\{[^}]*\}|[a-zA-Z_][a-zA-Z0-9_]*)/.exec(expr.slice(i))!;
      tokens.push({ type: 'var', text: m[0] });
      i += m[0].length;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const m = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(expr.slice(i))!;
      tokens.push({ type: 'ident', text: m[0] });
      i += m[0].length;
    } else if (/[0-9.]/.test(c)) {
      const m = /^[0-9.][0-9a-zA-Z.]*/.exec(expr.slice(i))!;
      tokens.push({ type: 'number', text: m[0] });
      i += m[0].length;
    } else {
      const m = /^(=~|!~|!=|==|>=|<=|[-+*/%^(){}[\],=<>@])/.exec(expr.slice(i));
      if (!m) throw new Error(`unexpected ${JSON.stringify(c)} at ${i}`);
      tokens.push({ type: 'punct', text: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

export interface PromqlRefs {
  series: Array<{ name?: string; labels: string[] }>;
  groupingLabels: string[];
  /** `label_replace` destination labels (created) and source labels (read). */
  createdLabels: string[];
  replaceSourceLabels: string[];
  functions: string[];
  literals: string[];
  /** The expression with every string literal replaced by `""`: its shape. */
  skeleton: string;
}

export function promqlRefs(expr: string): PromqlRefs {
  const tokens = tokenize(expr);
  const refs: PromqlRefs = {
    series: [],
    groupingLabels: [],
    createdLabels: [],
    replaceSourceLabels: [],
    functions: [],
    literals: [],
    skeleton: '',
  };
  /** Open calls: function name and how many top-level commas were seen in it. */
  const calls: Array<{ fn: string; args: number }> = [];
  let i = 0;
  const next = () => tokens[i + 1];
  while (i < tokens.length) {
    const t = tokens[i];
    if (t.type === 'string') {
      refs.literals.push(t.text);
      const call = calls[calls.length - 1];
      if (call?.fn === 'label_replace' && call.args === 1)
        refs.createdLabels.push(t.text);
      if (call?.fn === 'label_replace' && call.args === 3)
        refs.replaceSourceLabels.push(t.text);
      i++;
    } else if (t.type === 'ident' && GROUPING.has(t.text)) {
      // by (a, b)
      i += 2;
      while (i < tokens.length && tokens[i].text !== ')') {
        if (tokens[i].type === 'ident')
          refs.groupingLabels.push(tokens[i].text);
        i++;
      }
      i++;
    } else if (t.type === 'ident' && KEYWORDS.has(t.text)) {
      if (t.text === 'group_left' || t.text === 'group_right') {
        if (next()?.text === '(') {
          i += 2;
          while (i < tokens.length && tokens[i].text !== ')') {
            if (tokens[i].type === 'ident')
              refs.groupingLabels.push(tokens[i].text);
            i++;
          }
        }
      }
      i++;
    } else if (
      t.type === 'ident' &&
      next()?.type === 'ident' &&
      GROUPING.has(next().text)
    ) {
      // An aggregation with its grouping first: `sum by (a) (...)`.
      refs.functions.push(t.text);
      i++;
    } else if (t.type === 'ident' && next()?.text === '(') {
      refs.functions.push(t.text);
      calls.push({ fn: t.text, args: 0 });
      i += 2;
    } else if ((t.type === 'ident' && next()?.text === '{') || t.text === '{') {
      const selector: { name?: string; labels: string[] } = {
        name: t.type === 'ident' ? t.text : undefined,
        labels: [],
      };
      i += t.type === 'ident' ? 2 : 1;
      while (i < tokens.length && tokens[i].text !== '}') {
        const label = tokens[i];
        if (label.type === 'ident') selector.labels.push(label.text);
        // label, operator, value
        const value = tokens[i + 2];
        if (value?.type === 'string') refs.literals.push(value.text);
        i += 3;
        if (tokens[i]?.text === ',') i++;
      }
      refs.series.push(selector);
      i++;
    } else if (t.type === 'ident') {
      refs.series.push({ name: t.text, labels: [] });
      i++;
    } else {
      if (t.text === '(') calls.push({ fn: '', args: 0 });
      if (t.text === ')') calls.pop();
      if (t.text === ',' && calls.length) calls[calls.length - 1].args++;
      i++;
    }
  }
  refs.skeleton = tokens
    .map(t => (t.type === 'string' ? '""' : t.text))
    .join(' ');
  return refs;
}
