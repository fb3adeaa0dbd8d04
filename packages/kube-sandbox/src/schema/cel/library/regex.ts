import { CelFunc, celMethod, CelScalar, listType } from '@bufbuild/cel';

/**
 * The Kubernetes regex library, re-expressed from k8s.io/apiserver
 * pkg/cel/library/regex.go (v0.32.0): `find` and `findAll` (with an
 * optional limit). RE2 patterns are run as JavaScript regular expressions;
 * leading RE2 flag groups such as `(?i)` become JavaScript flags, and a
 * pattern JavaScript cannot compile is an evaluation error.
 */

const { STRING, INT } = CelScalar;

function compile(pattern: string): RegExp {
  const flags = /^\(\?([imsU]+)\)/.exec(pattern);
  const jsFlags = (flags?.[1] ?? '').replace(/[U]/g, '');
  const body = flags ? pattern.slice(flags[0].length) : pattern;
  try {
    return new RegExp(body, `gu${jsFlags}`);
  } catch (error) {
    throw new Error(`error parsing regexp: ${(error as Error).message}`);
  }
}

function findAll(text: string, pattern: string, limit: number): string[] {
  if (limit === 0) return [];
  const found: string[] = [];
  for (const match of text.matchAll(compile(pattern))) {
    found.push(match[0]);
    if (limit > 0 && found.length >= limit) break;
  }
  return found;
}

export const regexFunctions: CelFunc[] = [
  celMethod('find', STRING, [STRING], STRING, function find(this: string, p) {
    return findAll(this, p, 1)[0] ?? '';
  }),
  celMethod(
    'findAll',
    STRING,
    [STRING],
    listType(STRING),
    function findAllMatches(this: string, p) {
      return findAll(this, p, -1);
    },
  ),
  celMethod(
    'findAll',
    STRING,
    [STRING, INT],
    listType(STRING),
    function findSomeMatches(this: string, p, limit) {
      return findAll(this, p, Number(limit));
    },
  ),
];
