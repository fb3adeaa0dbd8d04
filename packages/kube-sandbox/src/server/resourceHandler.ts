import { IncomingMessage, ServerResponse } from 'node:http';
import {
  atVersion,
  deprecationWarning,
  parseFieldValidation,
} from '../api/admission';
import { listObjects, matchesSelectors } from '../api/listing';
import { ResourceRegistry, ServedResource } from '../api/resourceRegistry';
import {
  PatchType,
  ResourceService,
  WriteOptions,
} from '../api/resourceService';
import { badRequest, KubeError } from '../api/statusErrors';
import { joinApiVersion } from '../schema/kubeVersions';
import { isPlainObject } from '../schema/structuralValidator';
import { parseFieldSelector } from '../selectors/fieldSelector';
import {
  parseLabelSelector,
  SelectorParseError,
} from '../selectors/labelSelector';
import { ApiRoute } from './apiRoutes';
import { mediaType, readBodyBytes, sendJson } from './httpIO';
import { parseRequestBody } from './requestBody';
import { tableRequest } from './table/tableMedia';
import { sendReadResult } from './table/tableResponses';
import { streamWatch } from './watchStream';

type ResourceRoute = Extract<ApiRoute, { type: 'resource' }>;

const PATCH_TYPES: Record<string, PatchType> = {
  'application/apply-patch+yaml': 'apply',
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
};

export function notFoundResource(): KubeError {
  return KubeError.of(
    404,
    'the server could not find the requested resource',
    'NotFound',
    {},
  );
}

function methodNotAllowed(): KubeError {
  return KubeError.of(
    405,
    'the server does not allow this method on the requested resource',
    'MethodNotAllowed',
  );
}

function selectors(query: URLSearchParams) {
  try {
    return {
      labelSelector: parseLabelSelector(query.get('labelSelector')),
      fieldSelector: parseFieldSelector(query.get('fieldSelector')),
    };
  } catch (error) {
    if (error instanceof SelectorParseError) throw badRequest(error.message);
    throw error;
  }
}

function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const value of values) {
    if (value !== 'All') {
      throw badRequest(
        `dryRun: Unsupported value: "${value}": supported values: "All"`,
      );
    }
  }
  return values.length > 0;
}

/** The manager name the API server derives from the User-Agent when none is given. */
function defaultFieldManager(req: IncomingMessage): string {
  const agent = req.headers['user-agent'] ?? '';
  return agent.split('/')[0].trim() || 'unknown';
}

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/** Handles one request for a resource collection, object or status subresource. */
export async function handleResourceRequest(
  service: ResourceService,
  route: ResourceRoute,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
): Promise<void> {
  const served = service.registry.byPath(
    route.group,
    route.version,
    route.plural,
  );
  if (!served) throw notFoundResource();
  const namespaced = served.kind.scope === 'Namespaced';
  if (!namespaced && route.namespace !== undefined) throw notFoundResource();
  if (route.subresource !== undefined) {
    if (
      route.subresource !== 'status' ||
      !served.version.hasStatusSubresource
    ) {
      throw notFoundResource();
    }
  }
  const warnings: string[] = [];
  const deprecated = deprecationWarning(served);
  if (deprecated) warnings.push(deprecated);
  const method = req.method ?? 'GET';
  const { name, namespace } = route;

  if (method === 'GET') {
    const table = tableRequest(req.headers.accept, query);
    if (name !== undefined) {
      const object = service.get(served, namespace, name);
      sendReadResult(res, served, object, table, warnings);
    } else if (isTrue(query.get('watch'))) {
      streamWatch(
        service.store,
        {
          served,
          namespace,
          ...selectors(query),
          resourceVersion: query.get('resourceVersion') ?? undefined,
          timeoutSeconds: Number(query.get('timeoutSeconds') ?? 0) || undefined,
          table,
        },
        req,
        res,
      );
    } else {
      const limit = Number(query.get('limit') ?? 0) || undefined;
      const list = listObjects(service.store, served, {
        namespace,
        ...selectors(query),
        limit,
        continueToken: query.get('continue') ?? undefined,
      });
      sendReadResult(res, served, list, table, warnings);
    }
    return;
  }

  if (namespaced && namespace === undefined) {
    throw methodNotAllowed();
  }
  const body = parseRequestBody(
    await readBodyBytes(req),
    mediaType(req),
    served,
  );
  const options: WriteOptions = {
    namespace,
    dryRun: isDryRun(query),
    fieldManager: query.get('fieldManager') ?? undefined,
    fieldValidation: parseFieldValidation(query.get('fieldValidation')),
    subresource: route.subresource === 'status' ? 'status' : undefined,
    warnings,
  };

  switch (method) {
    case 'POST': {
      if (name !== undefined) throw methodNotAllowed();
      options.fieldManager ??= defaultFieldManager(req);
      sendJson(res, 201, service.create(served, body, options), { warnings });
      return;
    }
    case 'PUT': {
      if (name === undefined) throw methodNotAllowed();
      options.fieldManager ??= defaultFieldManager(req);
      sendJson(res, 200, service.update(served, name, body, options), {
        warnings,
      });
      return;
    }
    case 'PATCH': {
      if (name === undefined) throw methodNotAllowed();
      const patchType = PATCH_TYPES[mediaType(req)];
      if (!patchType) {
        throw KubeError.of(
          415,
          `the body of the request was in an unknown format - accepted media types include: ${Object.keys(
            PATCH_TYPES,
          ).join(', ')}`,
          'UnsupportedMediaType',
        );
      }
      if (patchType !== 'apply')
        options.fieldManager ??= defaultFieldManager(req);
      const result = service.patch(served, name, patchType, body, {
        ...options,
        force: isTrue(query.get('force')),
      });
      sendJson(res, result.created ? 201 : 200, result.object, { warnings });
      return;
    }
    case 'DELETE': {
      const deleteOptions = isPlainObject(body) ? body : {};
      const preconditions = isPlainObject(deleteOptions.preconditions)
        ? (deleteOptions.preconditions as {
            uid?: string;
            resourceVersion?: string;
          })
        : undefined;
      const dryRun =
        options.dryRun ||
        (Array.isArray(deleteOptions.dryRun) &&
          deleteOptions.dryRun.includes('All'));
      if (name !== undefined) {
        sendJson(
          res,
          200,
          service.delete(served, namespace, name, { preconditions, dryRun }),
          { warnings },
        );
      } else {
        sendJson(
          res,
          200,
          deleteCollection(service, served, namespace, query, dryRun),
          { warnings },
        );
      }
      return;
    }
    default:
      throw methodNotAllowed();
  }
}

function deleteCollection(
  service: ResourceService,
  served: ServedResource,
  namespace: string | undefined,
  query: URLSearchParams,
  dryRun: boolean,
) {
  const { labelSelector, fieldSelector } = selectors(query);
  const key = ResourceRegistry.resourceKey(served.kind);
  const matching = service.store
    .list(key, namespace)
    .filter(o => matchesSelectors(o, labelSelector, fieldSelector));
  for (const object of matching) {
    service.delete(served, object.metadata.namespace, object.metadata.name!, {
      dryRun,
    });
  }
  return {
    apiVersion: joinApiVersion(served.kind.group, served.version.name),
    kind: served.kind.listKind,
    metadata: { resourceVersion: String(service.store.revision) },
    items: matching.map(o => atVersion(served, o)),
  };
}
