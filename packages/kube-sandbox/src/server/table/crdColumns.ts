import { PrinterColumn } from '../../schema/types';
import { KubeObject } from '../../store/types';
import { printJsonPathValue } from './goFormat';
import { humanDuration, parseTimestamp } from './humanDuration';
import {
  findResults,
  JsonPath,
  JsonPathError,
  parseJsonPath,
} from './jsonPath';
import {
  column,
  CREATION_TIMESTAMP_DESCRIPTION,
  nameColumn,
  TableCell,
  TableConvertor,
} from './tableTypes';

/**
 * The table of a custom resource, as the apiextensions-apiserver builds it
 * (staging/src/k8s.io/apiextensions-apiserver/pkg/registry/customresource/tableconvertor/tableconvertor.go
 * and `serveDefaultColumnsIfEmpty` in pkg/apiserver, Kubernetes v1.32): a
 * `Name` column, then the version's `additionalPrinterColumns`, or `Age`
 * when it declares none. Each column's JSONPath is evaluated with missing
 * keys allowed and only its first result is used.
 */

/** What a CRD version without printer columns is served with. */
const DEFAULT_COLUMNS: PrinterColumn[] = [
  {
    name: 'Age',
    type: 'date',
    description: CREATION_TIMESTAMP_DESCRIPTION,
    jsonPath: '.metadata.creationTimestamp',
  },
];

/** `cellForJSONValue`: a value of a non-string column, or null when it is of another type. */
function typedCell(type: string, value: unknown, now: number): TableCell {
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      const time = parseTimestamp(value);
      // The server formats dates itself (metatable.ConvertToHumanReadableDateType).
      return time === undefined ? '<invalid>' : humanDuration(now - time);
    }
    default:
      return null;
  }
}

function cell(
  path: JsonPath | undefined,
  type: string,
  object: KubeObject,
  now: number,
): TableCell {
  if (!path) return null;
  let results: unknown[];
  try {
    results = findResults(path, object);
  } catch (error) {
    if (error instanceof JsonPathError) return null;
    throw error;
  }
  if (results.length === 0) return null;
  const value = results[0];
  if (type === 'string') return printJsonPathValue(value) ?? null;
  return typedCell(type, value, now);
}

/**
 * The convertor for one CRD version. A column whose JSONPath cannot be
 * parsed gives null cells (upstream rejects such CRDs when they are created).
 */
export function crdTableConvertor(
  printerColumns: PrinterColumn[] | undefined,
): TableConvertor {
  const declared = printerColumns?.length ? printerColumns : DEFAULT_COLUMNS;
  const paths = declared.map(c => {
    try {
      return parseJsonPath(c.jsonPath);
    } catch {
      return undefined;
    }
  });
  return {
    columns: [
      nameColumn(),
      ...declared.map(c =>
        column(
          c.name,
          c.type,
          c.description ||
            `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
          { format: c.format, priority: c.priority },
        ),
      ),
    ],
    row(object, now) {
      return {
        cells: [
          object.metadata.name ?? '',
          ...declared.map((c, i) => cell(paths[i], c.type, object, now)),
        ],
      };
    },
  };
}
