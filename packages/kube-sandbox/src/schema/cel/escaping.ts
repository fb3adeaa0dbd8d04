/**
 * How a property name is spelled in a CEL expression, re-expressed from
 * k8s.io/apiserver pkg/cel/escaping.go (v0.32.0) `Escape`: CEL keywords and
 * the names Kubernetes reserves become `__<name>__`, `__`, `.`, `-` and `/`
 * become `__underscores__`, `__dot__`, `__dash__` and `__slash__`. Names
 * that start with a digit or hold other characters cannot be reached from
 * CEL (`undefined`).
 */

const RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

const REPLACEMENTS: Record<string, string> = {
  __: '__underscores__',
  '.': '__dot__',
  '-': '__dash__',
  '/': '__slash__',
};

export function escapeCelName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[A-Za-z0-9_./-]*$/.test(name)) return undefined;
  return name.replace(/__|[./-]/g, match => REPLACEMENTS[match]);
}
