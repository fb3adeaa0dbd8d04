import { joinApiVersion } from '../schema/kubeVersions';
import {
  FieldRequirement,
  matchesFieldSelector,
} from '../selectors/fieldSelector';
import {
  LabelSelector,
  matchesLabelSelector,
} from '../selectors/labelSelector';
import { ObjectStore } from '../store/objectStore';
import { KubeObject } from '../store/types';
import { atVersion } from './admission';
import { ResourceRegistry, ServedResource } from './resourceRegistry';
import { badRequest } from './statusErrors';

export interface ListOptions {
  namespace?: string;
  labelSelector: LabelSelector;
  fieldSelector: FieldRequirement[];
  limit?: number;
  continueToken?: string;
}

export interface KubeList {
  apiVersion: string;
  kind: string;
  metadata: {
    resourceVersion: string;
    continue?: string;
    remainingItemCount?: number;
  };
  items: KubeObject[];
}

export function matchesSelectors(
  object: KubeObject,
  labelSelector: LabelSelector,
  fieldSelector: FieldRequirement[],
): boolean {
  return (
    matchesLabelSelector(labelSelector, object.metadata.labels) &&
    matchesFieldSelector(fieldSelector, object)
  );
}

function itemKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

function decodeContinue(token: string): string {
  try {
    const decoded = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    );
    if (typeof decoded.start === 'string') return decoded.start;
  } catch {
    // fall through to the error below
  }
  throw badRequest(`continue key is not valid: ${token}`);
}

/**
 * Lists objects with selectors and `limit`/`continue` paging. Pages are
 * taken from the current state in namespace/name order (not from a
 * snapshot at the first page's resourceVersion, as etcd would).
 */
export function listObjects(
  store: ObjectStore,
  served: ServedResource,
  options: ListOptions,
): KubeList {
  let items = store
    .list(ResourceRegistry.resourceKey(served.kind), options.namespace)
    .filter(o =>
      matchesSelectors(o, options.labelSelector, options.fieldSelector),
    );
  if (options.continueToken) {
    const start = decodeContinue(options.continueToken);
    items = items.filter(o => itemKey(o) > start);
  }
  const metadata: KubeList['metadata'] = {
    resourceVersion: String(store.revision),
  };
  if (options.limit && options.limit > 0 && items.length > options.limit) {
    const remaining = items.length - options.limit;
    items = items.slice(0, options.limit);
    metadata.continue = Buffer.from(
      JSON.stringify({
        start: itemKey(items[items.length - 1]),
        rv: store.revision,
      }),
    ).toString('base64url');
    metadata.remainingItemCount = remaining;
  }
  return {
    apiVersion: joinApiVersion(served.kind.group, served.version.name),
    kind: served.kind.listKind,
    metadata,
    items: items.map(o => atVersion(served, o)),
  };
}
