import { ServedResource } from '../../api/resourceRegistry';
import { isBuiltinKind } from '../../schema/builtinKinds';
import { KubeObject } from '../../store/types';
import { builtinTableConvertor, defaultTableConvertor } from './builtinColumns';
import { crdTableConvertor } from './crdColumns';
import { Table, TableConvertor } from './tableTypes';
import { TableRequest } from './tableMedia';

/**
 * Builds the `meta.k8s.io` Table for a GET, LIST or watch event, as
 * k8s.io/apiserver pkg/endpoints/handlers/response.go `asTable` (v0.32)
 * does after the kind's table convertor: rows carry a
 * PartialObjectMetadata (`includeObject=Metadata`, the default), the object
 * (`Object`) or nothing (`None`).
 */

const convertors = new WeakMap<object, TableConvertor>();

/** The convertor of a served kind and version (built-in printer, CRD columns, or the default). */
export function tableConvertorFor(served: ServedResource): TableConvertor {
  const cached = convertors.get(served.version);
  if (cached) return cached;
  const { kind, version } = served;
  let convertor: TableConvertor;
  if (isBuiltinKind(kind)) {
    convertor =
      builtinTableConvertor(kind.group, kind.kind) ??
      (version.additionalPrinterColumns
        ? crdTableConvertor(version.additionalPrinterColumns)
        : defaultTableConvertor);
  } else {
    convertor = crdTableConvertor(version.additionalPrinterColumns);
  }
  convertors.set(version, convertor);
  return convertor;
}

function rowObject(object: KubeObject, request: TableRequest): unknown {
  switch (request.includeObject) {
    case 'None':
      return null;
    case 'Object':
      return object;
    default:
      return {
        kind: 'PartialObjectMetadata',
        apiVersion: request.apiVersion,
        metadata: object.metadata,
      };
  }
}

export interface TableOptions {
  /** The list's or object's resourceVersion, continue token and remaining count. */
  metadata: Table['metadata'];
  /** Leave out the column definitions (watch events after the first). */
  noHeaders?: boolean;
  now?: number;
}

export function convertToTable(
  served: ServedResource,
  objects: KubeObject[],
  request: TableRequest,
  options: TableOptions,
): Table {
  const convertor = tableConvertorFor(served);
  const now = options.now ?? Date.now();
  return {
    kind: 'Table',
    apiVersion: request.apiVersion,
    metadata: options.metadata,
    columnDefinitions: options.noHeaders ? null : convertor.columns,
    rows: objects.map(object => {
      const { cells, conditions } = convertor.row(object, now);
      return {
        cells,
        ...(conditions ? { conditions } : {}),
        object: rowObject(object, request),
      };
    }),
  };
}
