import { celRuleCauses, CelCheckOptions } from './cel/checkCelRules';
import { checkObjectMeta, NameRule } from './objectMeta';
import { checkStructural, isPlainObject } from './structuralValidator';
import { CrdKind, ValidationCause } from './types';

export interface ResourceCheckResult {
  /** A defaulted and pruned copy of the input. */
  object: Record<string, unknown>;
  causes: ValidationCause[];
  /** Fields no schema declares (already pruned from `object`). */
  unknownFields: string[];
  /** Ratcheted CEL rule failures (warnings, not errors). */
  warnings: string[];
}

/** Core kinds whose names follow a stricter rule than a DNS subdomain. */
export function nameRuleFor(kind: CrdKind): NameRule {
  if (kind.group === '' && kind.kind === 'Namespace') return 'dns1123Label';
  if (kind.group === '' && kind.kind === 'Service') return 'dns1035Label';
  return 'dns1123Subdomain';
}

/**
 * Checks an object of a known kind and version: metadata rules plus the
 * version's structural schema, applying defaults and pruning unknown
 * fields on a copy, then the schema's CEL rules (`x-kubernetes-validations`)
 * unless `celRules` is false.
 */
export function checkResource(
  kind: CrdKind,
  version: string,
  input: Record<string, unknown>,
  options: { applyDefaults?: boolean; celRules?: CelCheckOptions | false } = {},
): ResourceCheckResult {
  const object = structuredClone(input);
  const meta = checkObjectMeta(object.metadata, nameRuleFor(kind));
  const causes = [...meta.causes];
  const unknownFields = [...meta.unknownFields];
  for (const field of meta.unknownFields) {
    const key = field.slice('metadata.'.length);
    if (isPlainObject(object.metadata)) delete object.metadata[key];
  }
  const schema = kind.schema(version);
  if (schema) {
    const structural = checkStructural(schema, object, options);
    causes.push(...structural.causes);
    unknownFields.push(...structural.unknownFields);
  }
  const warnings: string[] = [];
  if (schema && options.celRules !== false) {
    const cel = celRuleCauses(schema, object, causes, options.celRules);
    causes.push(...cel.causes);
    warnings.push(...cel.warnings);
  }
  return { object, causes, unknownFields, warnings };
}

/** The strict-decoding form of unknown fields, as a catalogue cause. */
export function unknownFieldCause(field: string): ValidationCause {
  return { reason: 'UnknownField', field, message: `unknown field "${field}"` };
}
