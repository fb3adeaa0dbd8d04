import { parseApiPath } from '../server/apiRoutes';
import { AuditEntry } from './requestAudit';

/** What an audit entry says about the request itself (everything but time, client and answer). */
export type RequestDescription = Omit<
  AuditEntry,
  'time' | 'source' | 'actor' | 'statusCode'
>;

/**
 * The Kubernetes verb of a resource request, as the API server's request info resolver names
 * it (k8s.io/apiserver pkg/endpoints/request/requestinfo.go): a GET is `get` with a name, `list`
 * without one and `watch` with `watch=true`; a DELETE without a name is `deletecollection`.
 */
export function resourceVerb(
  method: string,
  hasName: boolean,
  query: URLSearchParams,
): string {
  switch (method) {
    case 'GET': {
      const watch = query.get('watch');
      if (watch === 'true' || watch === '1') return 'watch';
      return hasName ? 'get' : 'list';
    }
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/** Describes an HTTP request to the API port for the audit log. */
export function describeRequest(
  method: string,
  rawUrl: string,
): RequestDescription {
  const url = new URL(rawUrl, 'http://sandbox.invalid');
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  const base = {
    method,
    path: url.pathname,
    query,
    dryRun: url.searchParams.getAll('dryRun').includes('All'),
    fieldManager: url.searchParams.get('fieldManager') ?? undefined,
  };
  let route;
  try {
    route = parseApiPath(url.pathname);
  } catch {
    route = undefined; // a malformed %-escape: the request got a 404 anyway
  }
  if (route?.type !== 'resource') {
    return { ...base, verb: method.toLowerCase() };
  }
  return {
    ...base,
    verb: resourceVerb(method, route.name !== undefined, url.searchParams),
    apiGroup: route.group,
    apiVersion: route.version,
    resource: route.plural,
    subresource: route.subresource,
    namespace: route.namespace,
    name: route.name,
  };
}
