import { IncomingMessage, ServerResponse } from 'node:http';
import { atVersion } from '../api/admission';
import { matchesSelectors } from '../api/listing';
import { ResourceRegistry, ServedResource } from '../api/resourceRegistry';
import { failureStatus } from '../api/statusErrors';
import { FieldRequirement } from '../selectors/fieldSelector';
import { LabelSelector } from '../selectors/labelSelector';
import { ObjectStore } from '../store/objectStore';
import { KubeObject, StoreEvent } from '../store/types';
import { TableRequest } from './table/tableMedia';
import { tableWatchEncoder } from './table/tableResponses';

export interface WatchRequest {
  served: ServedResource;
  namespace?: string;
  labelSelector: LabelSelector;
  fieldSelector: FieldRequirement[];
  /** Absent or "0": start with ADDED events for the current objects. */
  resourceVersion?: string;
  timeoutSeconds?: number;
  /** Send each object as a one-row Table (kubectl get -w). */
  table?: TableRequest;
}

type WatchEventName = 'ADDED' | 'MODIFIED' | 'DELETED' | 'ERROR';

/**
 * Streams watch events as newline-delimited JSON until the client goes
 * away or `timeoutSeconds` pass. With a label or field selector, an object
 * that starts or stops matching is reported as ADDED or DELETED, as the
 * API server does.
 */
export function streamWatch(
  store: ObjectStore,
  request: WatchRequest,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const resource = ResourceRegistry.resourceKey(request.served.kind);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  const encode = request.table
    ? tableWatchEncoder(request.served, request.table)
    : (object: KubeObject) => object;
  const send = (type: WatchEventName, object: unknown) => {
    // ERROR events carry a Status, which is never turned into a Table.
    const body = type === 'ERROR' ? object : encode(object as KubeObject);
    if (!res.writableEnded) {
      res.write(`${JSON.stringify({ type, object: body })}\n`);
    }
  };
  const matches = (object: KubeObject | undefined) =>
    !!object &&
    (request.namespace === undefined ||
      object.metadata.namespace === request.namespace) &&
    matchesSelectors(object, request.labelSelector, request.fieldSelector);

  const deliver = (event: StoreEvent) => {
    if (event.resource !== resource) return;
    const object = atVersion(request.served, event.object);
    if (event.type === 'DELETED') {
      if (matches(event.object)) send('DELETED', object);
      return;
    }
    const now = matches(event.object);
    const before = event.type === 'MODIFIED' && matches(event.previous);
    if (now && before) send('MODIFIED', object);
    else if (now) send('ADDED', object);
    else if (before) send('DELETED', object);
  };

  const requested = request.resourceVersion;
  if (!requested || requested === '0') {
    for (const object of store.list(resource, request.namespace)) {
      if (matches(object)) send('ADDED', atVersion(request.served, object));
    }
  } else {
    const history = store.eventsSince(Number(requested));
    if (history.expired || Number.isNaN(Number(requested))) {
      const oldest = history.expired ? history.oldestAvailable : store.revision;
      send(
        'ERROR',
        failureStatus(
          410,
          `too old resource version: ${requested} (${oldest})`,
          'Expired',
        ),
      );
      res.end();
      return;
    }
    history.events.forEach(deliver);
  }

  const unsubscribe = store.subscribe(deliver);
  const timer =
    request.timeoutSeconds && request.timeoutSeconds > 0
      ? setTimeout(() => res.end(), request.timeoutSeconds * 1000)
      : undefined;
  const stop = () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
  req.on('close', stop);
  res.on('close', stop);
}
