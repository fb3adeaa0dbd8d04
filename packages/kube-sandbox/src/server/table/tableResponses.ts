import { ServerResponse } from 'node:http';
import { KubeList } from '../../api/listing';
import { ServedResource } from '../../api/resourceRegistry';
import { KubeObject } from '../../store/types';
import { sendJson } from '../httpIO';
import { convertToTable } from './convertToTable';
import { TableRequest } from './tableMedia';

/**
 * Answers a GET of one object or a list, as a Table when the client asked
 * for one (see tableMedia.ts), else as JSON.
 */
export function sendReadResult(
  res: ServerResponse,
  served: ServedResource,
  result: KubeObject | KubeList,
  table: TableRequest | undefined,
  warnings: string[],
) {
  if (!table) {
    sendJson(res, 200, result, { warnings });
    return;
  }
  const isList = Array.isArray((result as KubeList).items);
  const body = isList
    ? convertToTable(served, (result as KubeList).items, table, {
        metadata: (result as KubeList).metadata,
      })
    : convertToTable(served, [result as KubeObject], table, {
        metadata: {
          resourceVersion: (result as KubeObject).metadata.resourceVersion,
        },
      });
  sendJson(res, 200, body, { warnings, contentType: table.contentType });
}

/**
 * Turns each watch event's object into a one-row Table. Only the first
 * event carries the column definitions; kubectl reuses them for the rest
 * (k8s.io/apiserver pkg/endpoints/handlers/watch.go `watchEmbeddedEncoder`,
 * v0.32, which sets NoHeaders after the first object).
 */
export function tableWatchEncoder(
  served: ServedResource,
  table: TableRequest,
): (object: KubeObject) => unknown {
  let headersSent = false;
  return object => {
    const converted = convertToTable(served, [object], table, {
      metadata: { resourceVersion: object.metadata.resourceVersion },
      noHeaders: headersSent,
    });
    headersSent = true;
    return converted;
  };
}
