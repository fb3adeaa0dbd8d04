import { ValidationCause } from '../types';
import { ValidationRule } from './validationRules';

/**
 * The field errors a failed rule gives, with the API server's wording,
 * re-expressed from k8s.io/apiextensions-apiserver
 * pkg/apiserver/schema/cel/validation.go (v0.32.0) `fieldErrorForReason`,
 * `ruleMessageOrDefault`, `ruleErrorString`, and apimachinery's
 * pkg/util/validation/field/errors.go `ErrorBody`: the bad value shown is
 * the schema node's type (`Invalid value: "object": <message>`).
 */

/** The rule's message, or `failed rule: <rule>`. */
export function ruleMessageOrDefault(rule: ValidationRule): string {
  const message = rule.message?.trim();
  return message ? message : `failed rule: ${rule.rule.trim()}`;
}

/** How evaluation errors name a rule: its message, else its text. */
export function ruleErrorString(rule: ValidationRule): string {
  const message = rule.message?.trim();
  return message ? message : rule.rule.trim();
}

/** `Invalid value: "<type>": <detail>` (FieldValueInvalid). */
export function invalidCause(
  field: string,
  schemaType: string,
  detail: string,
): ValidationCause {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(schemaType)}: ${detail}`,
  };
}

/** The error for a rule that evaluated to false, by its `reason`. */
export function ruleFailureCause(
  field: string,
  schemaType: string,
  detail: string,
  reason: string | undefined,
): ValidationCause {
  switch (reason) {
    case 'FieldValueForbidden':
      return { reason, field, message: `Forbidden: ${detail}` };
    case 'FieldValueRequired':
      return { reason, field, message: `Required value: ${detail}` };
    case 'FieldValueDuplicate':
      return {
        reason,
        field,
        message: `Duplicate value: ${JSON.stringify(schemaType)}`,
      };
    default:
      return invalidCause(field, schemaType, detail);
  }
}

/** cel-go's wording for the evaluation errors rules meet most (`no such key: x`). */
export function evaluationErrorText(message: string): string {
  const missing = /^field not found: (.*)$/.exec(message);
  return missing ? `no such key: ${missing[1]}` : message;
}
