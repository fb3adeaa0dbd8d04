import { isPlainObject } from '../structuralValidator';
import { JsonSchemaProps } from '../types';
import { compileExpression, CompiledExpression } from './compileRule';

/**
 * The `x-kubernetes-validations` entries of schema nodes, compiled once per
 * node (cached on the node's rule list; the expressions themselves are
 * cached by text), and which nodes have rules at or below them, so that
 * validation skips subtrees without any.
 */

/** One entry of `x-kubernetes-validations` (apiextensions/v1 `ValidationRule`). */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface CompiledRule {
  rule: ValidationRule;
  expression: CompiledExpression;
  messageExpression?: CompiledExpression;
  /** Why the rule cannot be evaluated here (compile error, unknown function). */
  problem?: string;
}

export function asValidationRules(raw: unknown): ValidationRule[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(
      (r): r is Record<string, unknown> =>
        isPlainObject(r) && typeof r.rule === 'string',
    )
    .map(r => ({
      rule: r.rule as string,
      message: typeof r.message === 'string' ? r.message : undefined,
      messageExpression:
        typeof r.messageExpression === 'string'
          ? r.messageExpression
          : undefined,
      reason: typeof r.reason === 'string' ? r.reason : undefined,
      fieldPath: typeof r.fieldPath === 'string' ? r.fieldPath : undefined,
      optionalOldSelf: r.optionalOldSelf === true,
    }));
}

export function compileRule(rule: ValidationRule): CompiledRule {
  const expression = compileExpression(rule.rule);
  const messageExpression =
    rule.messageExpression !== undefined
      ? compileExpression(rule.messageExpression)
      : undefined;
  let problem = expression.problem;
  if (!problem && messageExpression?.problem) {
    problem = `messageExpression: ${messageExpression.problem}`;
  }
  return { rule, expression, messageExpression, problem };
}

const compiledByNode = new WeakMap<object, CompiledRule[]>();

/** The compiled rules of one schema node ([] when it has none). */
export function compiledRulesOf(node: JsonSchemaProps): CompiledRule[] {
  const raw = node['x-kubernetes-validations'];
  if (!Array.isArray(raw) || raw.length === 0) return [];
  let compiled = compiledByNode.get(raw);
  if (!compiled) {
    compiled = asValidationRules(raw).map(compileRule);
    compiledByNode.set(raw, compiled);
  }
  return compiled;
}

/** The schemas below a node that the rule walk descends into. */
export function childSchemas(node: JsonSchemaProps): JsonSchemaProps[] {
  const children: JsonSchemaProps[] = [...Object.values(node.properties ?? {})];
  if (node.items) children.push(node.items);
  if (isPlainObject(node.additionalProperties)) {
    children.push(node.additionalProperties);
  }
  children.push(...(node.allOf ?? []));
  return children;
}

const hasRulesCache = new WeakMap<object, boolean>();

/** True when the node or a schema below it carries rules. */
export function hasRulesBelow(node: JsonSchemaProps): boolean {
  let known = hasRulesCache.get(node);
  if (known === undefined) {
    hasRulesCache.set(node, false); // guards against (unexpected) cycles
    const raw = node['x-kubernetes-validations'];
    known =
      (Array.isArray(raw) && raw.length > 0) ||
      childSchemas(node).some(hasRulesBelow);
    hasRulesCache.set(node, known);
  }
  return known;
}
