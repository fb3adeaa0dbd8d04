import { isPlainObject } from '../structuralValidator';
import { JsonSchemaProps } from '../types';

/**
 * A rule's `fieldPath` (a relative JSONPath such as `.spec.foo` or
 * `.labels['app.kubernetes.io/name']`) in the form the API server appends
 * to the field of the rule's schema node, re-expressed from
 * k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go
 * (v0.32.0) `ValidFieldPath`: each step must name a property (`.name`) or
 * a key of a map (`[key]`); an invalid path is ignored, as upstream.
 */

function tokens(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.' || c === '[' || c === ']') {
      out.push(c);
      i++;
    } else if (c === "'") {
      let j = i + 1;
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++;
      out.push(path.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < path.length && !'.[]'.includes(path[j])) j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

const ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  "'": "'",
  '\\': '\\',
};

function unquote(token: string): string | undefined {
  if (token.length < 2 || !token.startsWith("'") || !token.endsWith("'")) {
    return undefined;
  }
  let ok = true;
  const text = token.slice(1, -1).replace(/\\./g, escape => {
    const replaced = ESCAPES[escape[1]];
    if (replaced === undefined) ok = false;
    return replaced ?? '';
  });
  return ok ? text : undefined;
}

/** The normalized path (e.g. `spec.foo`, `labels[app]`), or undefined when invalid. */
export function normalizeRuleFieldPath(
  fieldPath: string,
  schema: JsonSchemaProps,
): string | undefined {
  const parts = tokens(fieldPath);
  let current: JsonSchemaProps | undefined = schema;
  let rendered = '';
  const step = (name: string): boolean => {
    if (!current) return false;
    if (current.properties) {
      current = current.properties[name];
      if (!current) return false;
      rendered = rendered ? `${rendered}.${name}` : name;
      return true;
    }
    if (isPlainObject(current.additionalProperties)) {
      current = current.additionalProperties;
      rendered = `${rendered}[${name}]`;
      return true;
    }
    return false;
  };
  for (let i = 0; i < parts.length; i++) {
    const token = parts[i];
    if (token === '[') {
      const key = unquote(parts[i + 1] ?? '');
      if (key === undefined || parts[i + 2] !== ']' || !step(key)) {
        return undefined;
      }
      i += 2;
    } else if (token === '.') {
      const name = parts[i + 1];
      if (name === undefined || !step(name)) return undefined;
      i += 1;
    } else {
      return undefined;
    }
  }
  return rendered || undefined;
}
