/** A request path of the Kubernetes API, decoded. */
export type ApiRoute =
  | { type: 'version' }
  | { type: 'health' }
  | { type: 'coreVersions' }
  | { type: 'groups' }
  | { type: 'group'; group: string }
  | { type: 'resourceList'; group: string; version: string }
  | {
      type: 'resource';
      group: string;
      version: string;
      namespace?: string;
      plural: string;
      name?: string;
      subresource?: string;
    }
  | { type: 'openapiRoot' }
  | { type: 'openapiGroupVersion'; group: string; version: string }
  | { type: 'openapiV2' };

/** Decodes the part of the path after `/api/v1` or `/apis/<g>/<v>`. */
function resourceRoute(
  group: string,
  version: string,
  segments: string[],
): ApiRoute | undefined {
  if (segments.length === 0) return { type: 'resourceList', group, version };
  // The core group's namespaces are themselves a resource: /api/v1/namespaces/<ns>[/status]
  const isNamespaceItself =
    group === '' &&
    segments[0] === 'namespaces' &&
    (segments.length <= 2 ||
      (segments.length === 3 && ['status', 'finalize'].includes(segments[2])));
  if (
    segments[0] === 'namespaces' &&
    segments.length >= 3 &&
    !isNamespaceItself
  ) {
    const [, namespace, plural, name, subresource, ...rest] = segments;
    if (rest.length > 0) return undefined;
    return {
      type: 'resource',
      group,
      version,
      namespace,
      plural,
      name,
      subresource,
    };
  }
  const [plural, name, subresource, ...rest] = segments;
  if (rest.length > 0) return undefined;
  return { type: 'resource', group, version, plural, name, subresource };
}

export function parseApiPath(pathname: string): ApiRoute | undefined {
  const segments = pathname
    .split('/')
    .filter(s => s !== '')
    .map(s => decodeURIComponent(s));
  const [first, second, third, ...rest] = segments;
  switch (first) {
    case 'version':
      return segments.length === 1 ? { type: 'version' } : undefined;
    case 'healthz':
    case 'livez':
    case 'readyz':
      return { type: 'health' };
    case 'api':
      if (second === undefined) return { type: 'coreVersions' };
      if (second !== 'v1') return undefined;
      return resourceRoute('', 'v1', segments.slice(2));
    case 'apis':
      if (second === undefined) return { type: 'groups' };
      if (third === undefined) return { type: 'group', group: second };
      return resourceRoute(second, third, rest);
    case 'openapi':
      if (second === 'v2' && segments.length === 2)
        return { type: 'openapiV2' };
      if (second !== 'v3') return undefined;
      if (segments.length === 2) return { type: 'openapiRoot' };
      if (third === 'api' && rest[0] === 'v1' && rest.length === 1) {
        return { type: 'openapiGroupVersion', group: '', version: 'v1' };
      }
      if (third === 'apis' && rest.length === 2) {
        return {
          type: 'openapiGroupVersion',
          group: rest[0],
          version: rest[1],
        };
      }
      return undefined;
    default:
      return undefined;
  }
}
