import { describeValue, isPlainObject } from './structuralValidator';
import { ValidationCause } from './types';

/** How a kind's `metadata.name` is validated (as in apimachinery's validation helpers). */
export type NameRule = 'dns1123Subdomain' | 'dns1123Label' | 'dns1035Label';

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME_PART = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME_PART})?`;

const NAME_RULES: Record<
  NameRule,
  { regex: RegExp; max: number; message: string }
> = {
  dns1123Subdomain: {
    regex: new RegExp(`^${DNS1123_SUBDOMAIN}$`),
    max: 253,
    message: `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`,
  },
  dns1123Label: {
    regex: new RegExp(`^${DNS1123_LABEL}$`),
    max: 63,
    message: `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`,
  },
  dns1035Label: {
    regex: new RegExp(`^${DNS1035_LABEL}$`),
    max: 63,
    message: `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`,
  },
};

/** Fields of ObjectMeta; anything else is an unknown field. */
const OBJECT_META_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/** Problems with a `metadata.name`-like value, as messages (empty when valid). */
export function checkName(name: string, rule: NameRule): string[] {
  const { regex, max, message } = NAME_RULES[rule];
  const problems: string[] = [];
  if (name.length > max)
    problems.push(`must be no more than ${max} characters`);
  if (!regex.test(name)) problems.push(message);
  return problems;
}

/** Problems with a label key (`[prefix/]name`), as messages. */
export function checkQualifiedName(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  const name = parts[parts.length - 1];
  const problems: string[] = [];
  if (parts.length === 2) {
    if (parts[0].length === 0) problems.push('prefix part must be non-empty');
    else {
      problems.push(
        ...checkName(parts[0], 'dns1123Subdomain').map(p => `prefix part ${p}`),
      );
    }
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63)
    problems.push('name part must be no more than 63 characters');
  if (name.length > 0 && !new RegExp(`^${QUALIFIED_NAME_PART}$`).test(name)) {
    problems.push(
      `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${QUALIFIED_NAME_PART}')`,
    );
  }
  return problems;
}

/** Problems with a label value, as messages. */
export function checkLabelValue(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!new RegExp(`^${LABEL_VALUE}$`).test(value)) {
    problems.push(
      `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${LABEL_VALUE}')`,
    );
  }
  return problems;
}

function checkStringMap(
  metadata: Record<string, unknown>,
  key: 'labels' | 'annotations',
  causes: ValidationCause[],
) {
  const map = metadata[key];
  const field = `metadata.${key}`;
  if (map === undefined || map === null) return;
  if (!isPlainObject(map)) {
    causes.push({
      reason: 'FieldValueTypeInvalid',
      field,
      message: `Invalid value: ${describeValue(
        map,
      )}: ${field} in body must be of type object`,
    });
    return;
  }
  for (const [k, v] of Object.entries(map)) {
    for (const problem of checkQualifiedName(k)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field,
        message: `Invalid value: ${describeValue(k)}: ${problem}`,
      });
    }
    if (typeof v !== 'string') {
      causes.push({
        reason: 'FieldValueTypeInvalid',
        field: `${field}.${k}`,
        message: `Invalid value: ${describeValue(
          v,
        )}: ${field}.${k} in body must be of type string`,
      });
    } else if (key === 'labels') {
      for (const problem of checkLabelValue(v)) {
        causes.push({
          reason: 'FieldValueInvalid',
          field,
          message: `Invalid value: ${describeValue(v)}: ${problem}`,
        });
      }
    }
  }
}

/**
 * Validates `metadata` of an object about to be stored: name syntax,
 * labels and annotations. Names generated from `generateName` must be
 * filled in before this runs.
 */
export function checkObjectMeta(
  metadata: unknown,
  nameRule: NameRule,
): { causes: ValidationCause[]; unknownFields: string[] } {
  const causes: ValidationCause[] = [];
  const unknownFields: string[] = [];
  if (!isPlainObject(metadata)) {
    causes.push({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
    return { causes, unknownFields };
  }
  const name = metadata.name;
  if (name === undefined || name === '') {
    if (!metadata.generateName) {
      causes.push({
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      });
    }
  } else if (typeof name !== 'string') {
    causes.push({
      reason: 'FieldValueTypeInvalid',
      field: 'metadata.name',
      message: `Invalid value: ${describeValue(
        name,
      )}: metadata.name in body must be of type string`,
    });
  } else {
    for (const problem of checkName(name, nameRule)) {
      causes.push({
        reason: 'FieldValueInvalid',
        field: 'metadata.name',
        message: `Invalid value: ${describeValue(name)}: ${problem}`,
      });
    }
  }
  checkStringMap(metadata, 'labels', causes);
  checkStringMap(metadata, 'annotations', causes);
  for (const key of Object.keys(metadata)) {
    if (!OBJECT_META_FIELDS.has(key)) unknownFields.push(`metadata.${key}`);
  }
  return { causes, unknownFields };
}
