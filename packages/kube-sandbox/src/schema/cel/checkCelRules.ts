import { isCelError } from '@bufbuild/cel';
import { isPlainObject } from '../structuralValidator';
import { JsonSchemaProps, ValidationCause } from '../types';
import { CelValueCache, toCelValue } from './celValues';
import { optionalOf } from './library/optionals';
import { normalizeRuleFieldPath } from './ruleFieldPath';
import {
  evaluationErrorText,
  invalidCause,
  ruleErrorString,
  ruleFailureCause,
  ruleMessageOrDefault,
} from './ruleErrors';
import {
  CompiledRule,
  compiledRulesOf,
  hasRulesBelow,
} from './validationRules';

/**
 * Evaluates the `x-kubernetes-validations` rules of a custom resource, as
 * k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go
 * (v0.32.0) `Validator.Validate` does:
 *
 * - `self` is the value at the schema node carrying the rule; rules under
 *   `items` and `additionalProperties` run once per element, with the
 *   element's index or key in the field path (`spec.rules[0]`,
 *   `labels[app]`); null and absent values are not validated.
 * - Transition rules (using `oldSelf`) run only on updates, where an old
 *   value exists at the correlated position: object fields by name,
 *   `x-kubernetes-list-type: map` items by their keys; set and atomic list
 *   items never correlate. `optionalOldSelf` rules also run without one,
 *   with `oldSelf` = `optional.none()`.
 * - A false rule gives the message of `messageExpression` (when it yields
 *   a non-empty one-line string), else `message`, else `failed rule:
 *   <rule>`, under its `reason` and at its `fieldPath`; an evaluation error
 *   gives `<error> evaluating rule: <message or rule>`.
 * - Ratcheting (CRDValidationRatcheting, on by default since 1.30; strategy.go
 *   `ValidateUpdate`): on an update of the main resource, a non-transition
 *   rule failing on a value that did not change (its correlated old value
 *   is equal, or that of its nearest correlated ancestor) is a warning, not
 *   an error. Status updates at 1.32 run without ratcheting
 *   (status_strategy.go `ValidateUpdate`).
 *
 * The per-rule and per-request cost budgets are not enforced.
 */

export interface CelCheckOptions {
  /** The stored object, on updates. */
  oldObject?: Record<string, unknown>;
  /** Turn errors on unchanged values into warnings (main-resource updates). */
  ratcheting?: boolean;
}

export interface CelCheckResult {
  causes: ValidationCause[];
  /** Ratcheted errors, as the API server's warnings (`<field>: <message>`). */
  warnings: string[];
}

interface Walk {
  causes: ValidationCause[];
  warnings: string[];
  cache: CelValueCache;
  oldCache: CelValueCache;
  ratcheting: boolean;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every(k => k in b && deepEqual(a[k], b[k]))
    );
  }
  return false;
}

/** The old item with the same map keys (`x-kubernetes-list-type: map` only). */
function correlatedListItem(
  schema: JsonSchemaProps,
  oldList: unknown,
  item: unknown,
): unknown {
  if (schema['x-kubernetes-list-type'] !== 'map') return undefined;
  if (!Array.isArray(oldList) || !isPlainObject(item)) return undefined;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  return oldList.find(
    old => isPlainObject(old) && keys.every(k => deepEqual(old[k], item[k])),
  );
}

const childField = (parent: string | undefined, name: string) =>
  parent === undefined ? name : `${parent}.${name}`;
const keyField = (parent: string | undefined, key: string | number) =>
  `${parent ?? ''}[${key}]`;

function failureMessage(
  compiled: CompiledRule,
  bindings: Record<string, unknown>,
): string {
  const fallback = ruleMessageOrDefault(compiled.rule);
  const program = compiled.messageExpression?.program;
  if (!program) return fallback;
  const value = program(bindings);
  if (typeof value !== 'string') return fallback;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.includes('\n') || trimmed.length > 5120) {
    return fallback;
  }
  return trimmed;
}

/** A schema node with the value (and correlated old value) at it. */
interface NodeVisit {
  node: JsonSchemaProps;
  value: unknown;
  oldValue: unknown;
  field: string | undefined;
  /** The object itself or an embedded resource: typed `object` in causes. */
  isRoot: boolean;
}

function evaluateRules(
  walk: Walk,
  { node, value, oldValue, field, isRoot }: NodeVisit,
  unchanged: () => boolean,
) {
  const rules = compiledRulesOf(node);
  if (rules.length === 0) return;
  const schemaType = isRoot ? 'object' : node.type ?? '';
  const fieldName = field ?? '<nil>';
  let self: unknown;
  let oldSelf: unknown;
  for (const compiled of rules) {
    const { expression, rule } = compiled;
    if (!expression.program || compiled.problem) continue;
    const optionalOld = rule.optionalOldSelf === true;
    if (expression.usesOldSelf && oldValue === undefined && !optionalOld) {
      continue;
    }
    if (self === undefined) self = toCelValue(value, node, walk.cache, isRoot);
    const bindings: Record<string, unknown> = { self };
    if (oldValue !== undefined) {
      if (oldSelf === undefined) {
        oldSelf = toCelValue(oldValue, node, walk.oldCache, isRoot);
      }
      bindings.oldSelf = oldSelf;
    }
    const result = expression.program(
      optionalOld
        ? {
            self,
            oldSelf: optionalOf(oldValue === undefined ? undefined : oldSelf),
          }
        : bindings,
    );
    if (isCelError(result)) {
      walk.causes.push(
        invalidCause(
          fieldName,
          schemaType,
          `${evaluationErrorText(
            result.message,
          )} evaluating rule: ${ruleErrorString(rule)}`,
        ),
      );
      continue;
    }
    if (result === true) continue;
    let errorField = fieldName;
    if (rule.fieldPath) {
      const relative = normalizeRuleFieldPath(rule.fieldPath, node);
      if (relative) errorField = childField(field, relative);
    }
    const cause = ruleFailureCause(
      errorField,
      schemaType,
      failureMessage(compiled, bindings),
      rule.reason,
    );
    if (!expression.usesOldSelf && walk.ratcheting && unchanged()) {
      walk.warnings.push(`${cause.field}: ${cause.message}`);
    } else {
      walk.causes.push(cause);
    }
  }
}

function validateNode(
  walk: Walk,
  visit: NodeVisit,
  parentUnchanged: () => boolean,
) {
  const { node, value, oldValue, field } = visit;
  if (value === null || value === undefined || !hasRulesBelow(node)) return;
  // A node with a correlated old value ratchets on its own equality, any
  // other on that of its nearest correlated ancestor (equality.go).
  let equal: boolean | undefined;
  const unchanged =
    oldValue === undefined
      ? parentUnchanged
      : () => (equal ??= deepEqual(value, oldValue));

  evaluateRules(walk, visit, unchanged);
  for (const branch of node.allOf ?? []) {
    evaluateRules(walk, { ...visit, node: branch }, unchanged);
  }

  if (Array.isArray(value) && node.items) {
    value.forEach((item, i) => {
      validateNode(
        walk,
        {
          node: node.items!,
          value: item,
          oldValue: correlatedListItem(node, oldValue, item),
          field: keyField(field, i),
          isRoot: node.items!['x-kubernetes-embedded-resource'] === true,
        },
        unchanged,
      );
    });
  } else if (isPlainObject(value)) {
    const old = isPlainObject(oldValue) ? oldValue : undefined;
    const additional = isPlainObject(node.additionalProperties)
      ? node.additionalProperties
      : undefined;
    for (const [key, child] of Object.entries(value)) {
      const property = node.properties?.[key];
      const childSchema = property ?? additional;
      if (!childSchema) continue;
      validateNode(
        walk,
        {
          node: childSchema,
          value: child,
          oldValue: old?.[key] ?? undefined,
          field: property ? childField(field, key) : keyField(field, key),
          isRoot: childSchema['x-kubernetes-embedded-resource'] === true,
        },
        unchanged,
      );
    }
  }
}

/** Evaluates every rule of a resource's schema against the (defaulted, pruned) object. */
export function checkCelRules(
  schema: JsonSchemaProps,
  object: Record<string, unknown>,
  options: CelCheckOptions = {},
): CelCheckResult {
  const walk: Walk = {
    causes: [],
    warnings: [],
    cache: new WeakMap(),
    oldCache: new WeakMap(),
    ratcheting: options.ratcheting === true && options.oldObject !== undefined,
  };
  validateNode(
    walk,
    {
      node: schema,
      value: object,
      oldValue: options.oldObject,
      field: undefined,
      isRoot: true,
    },
    () => false,
  );
  return { causes: walk.causes, warnings: walk.warnings };
}

/** Structural errors after which the API server does not run the rules (strategy.go `hasBlockingErr`). */
const BLOCKING_REASONS = new Set([
  'FieldValueNotSupported',
  'FieldValueRequired',
  'FieldValueTooLong',
  'FieldValueTooMany',
  'FieldValueTypeInvalid',
]);

/**
 * The rules' verdict on an object that already has `priorCauses`: when one
 * of them blocks, the rules are not run and a single cause says so, as the
 * API server does; schemas without rules add nothing.
 */
export function celRuleCauses(
  schema: JsonSchemaProps,
  object: Record<string, unknown>,
  priorCauses: ValidationCause[],
  options: CelCheckOptions = {},
): CelCheckResult {
  if (!hasRulesBelow(schema)) return { causes: [], warnings: [] };
  if (priorCauses.some(c => BLOCKING_REASONS.has(c.reason))) {
    return {
      causes: [
        invalidCause(
          '<nil>',
          'null',
          'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
        ),
      ],
      warnings: [],
    };
  }
  return checkCelRules(schema, object, options);
}
