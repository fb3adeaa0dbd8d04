import { ManifestIssue } from './types';

/**
 * Metadata rules the API server enforces in Go code, so neither the CRD schemas nor the generated
 * OpenAPI validators check them. Label values longer than 63 characters broke the previous project.
 */

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkLabelKey(key: string, field: string): ManifestIssue[] {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const problems: string[] = [];
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
  ) {
    problems.push('prefix must be a DNS subdomain');
  }
  if (name.length > 63 || !QUALIFIED_NAME.test(name)) {
    problems.push(
      'name part must be at most 63 alphanumeric characters, "-", "_" or "."',
    );
  }
  return problems.map(problem => ({
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: "${key}": ${problem}`,
  }));
}

function checkStringMapKeys(
  map: unknown,
  field: string,
  checkValue?: (value: string) => string | undefined,
): ManifestIssue[] {
  if (typeof map !== 'object' || map === null) return [];
  const issues: ManifestIssue[] = [];
  for (const [key, value] of Object.entries(map)) {
    issues.push(...checkLabelKey(key, `${field}[${key}]`));
    const problem = checkValue?.(String(value));
    if (problem) {
      issues.push({
        reason: 'FieldValueInvalid',
        field: `${field}[${key}]`,
        message: problem,
      });
    }
  }
  return issues;
}

export function checkObjectMeta(obj: Record<string, unknown>): ManifestIssue[] {
  const metadata = obj.metadata as Record<string, unknown> | undefined;
  if (typeof metadata !== 'object' || metadata === null) {
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata',
        message: 'Required value',
      },
    ];
  }
  const issues: ManifestIssue[] = [];
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    issues.push({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
      message: 'Required value',
    });
  }
  issues.push(
    ...checkStringMapKeys(metadata.labels, 'metadata.labels', value =>
      value.length > 63 || !LABEL_VALUE.test(value)
        ? `Invalid value: "${value}": a label value must be at most 63 alphanumeric characters, "-", "_" or "."`
        : undefined,
    ),
    ...checkStringMapKeys(metadata.annotations, 'metadata.annotations'),
  );
  return issues;
}
