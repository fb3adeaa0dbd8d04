/** Small readers of loosely typed object specs, shared by the hand-written CEL rules. */

export type Json = Record<string, unknown>;
/** Reports one violated rule at a field path. */
export type Report = (field: string, message: string) => void;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
export const has = (value: Json, key: string) =>
  value[key] !== undefined && value[key] !== null;
export const objects = (value: unknown): Json[] =>
  Array.isArray(value) ? value.filter(isObject) : [];
export const object = (value: unknown): Json => (isObject(value) ? value : {});

/**
 * What the API server reports when a rule reads a field that is absent (cel-go's `no such key`
 * error, apiextensions-apiserver pkg/apiserver/schema/cel/validation.go): the error, then the
 * rule's message.
 */
export const noSuchKey = (key: string, message: string) =>
  `no such key: ${key} evaluating rule: ${message}`;

/** Rule names must be unique within a list of rules. */
export function checkUniqueRuleNames(
  rules: Json[],
  message: string,
  report: Report,
) {
  const names = rules.filter(r => has(r, 'name')).map(r => String(r.name));
  if (new Set(names).size !== names.length) {
    report('spec.rules', message);
  }
}
