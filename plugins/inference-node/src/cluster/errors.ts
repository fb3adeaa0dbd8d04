import { ApiException } from '@kubernetes/client-node';
import {
  ConflictError,
  CustomErrorBase,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/**
 * One reason the cluster gave for rejecting an object, as in a Kubernetes Status's details.causes.
 * @public
 */
export interface ClusterCause {
  reason?: string;
  field?: string;
  message?: string;
}

/**
 * The cluster refused the object as invalid (Kubernetes 422 Invalid, or 400 BadRequest for unknown
 * fields). Answered as HTTP 422 with the cluster's causes, so the user sees which field is wrong.
 * @public
 */
export class ClusterRejectedError extends CustomErrorBase {
  name = 'ClusterRejectedError' as const;
  constructor(message: string, readonly causes: ClusterCause[]) {
    super(message);
  }
}

/**
 * The cluster answered with a failure we cannot attribute to the request (5xx, 403 for the portal).
 * @public
 */
export class ClusterFailureError extends CustomErrorBase {
  name = 'ClusterFailureError' as const;
  constructor(message: string, readonly statusCode: number) {
    super(message);
  }
}

// --- Scrubbing what leaves the backend ---

/**
 * Patterns of internal detail that messages from the API server, client-node and Node's network
 * stack carry, and what replaces them. Order matters: URLs before the addresses inside them.
 */
const SCRUB_RULES: [RegExp, string][] = [
  // https://10.0.0.1:6443/apis/..., spiffe://cluster.local/ns/x/sa/y
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi, '<url>'],
  // system:serviceaccount:<namespace>:<name> (RBAC user names), also in User "..."
  [/\bsystem:serviceaccount:[^\s"',)]+/gi, '<service account>'],
  // Istio principals: cluster.local/ns/<namespace>/sa/<name>
  [/\b[a-z0-9.-]+\/ns\/[^/\s"']+\/sa\/[^\s"',)]+/gi, '<service account>'],
  // IPv6 in brackets, with an optional port
  [/\[[0-9a-f:.]*:[0-9a-f:.]*\](?::\d{1,5})?/gi, '<address>'],
  // IPv4, with an optional port
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?\b/g, '<address>'],
  // host:port with a dotted name or localhost (kserve-webhook.kserve.svc:443, localhost:7443);
  // not times (10:45:30) or `field: value` pairs
  [/\b(?:(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*|localhost):\d{1,5}\b/gi, '<address>'],
  // in-cluster DNS names without a port (x.y.svc, x.y.svc.cluster.local)
  [/\b(?:[a-z0-9-]+\.)+svc(?:\.cluster\.local)?\b/gi, '<host>'],
];

/**
 * A message without internal addresses (URLs, IPs, host:port, in-cluster DNS names) or service
 * account names; the rest (status, kind/name, field, reason) is kept. Applied to every cluster
 * message the portal passes on, and again to whatever reaches a client or the history table.
 * @public
 */
export function scrubClusterMessage(message: string): string {
  return SCRUB_RULES.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement),
    message,
  );
}

/** Properties never copied to a scrubbed error: raw responses, nested errors, request data. */
const UNSAFE_ERROR_PROPERTIES = new Set([
  'cause',
  'stack',
  'body',
  'headers',
  'response',
  'request',
  'config',
  'options',
]);

function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubClusterMessage(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(v => scrubValue(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, scrubValue(v, depth + 1)]),
  );
}

/**
 * The same error (same class, so the same HTTP status; `causes`, `fields`, `statusCode` kept)
 * with every string scrubbed and without its cause chain or raw response. Non-errors pass as is.
 * @public
 */
export function scrubError<T>(error: T): T {
  if (!(error instanceof Error)) return error;
  const scrubbed = Object.create(Object.getPrototypeOf(error)) as Error &
    Record<string, unknown>;
  for (const [key, value] of Object.entries(error)) {
    if (!UNSAFE_ERROR_PROPERTIES.has(key)) scrubbed[key] = scrubValue(value);
  }
  const message = scrubClusterMessage(error.message);
  Object.defineProperty(scrubbed, 'name', {
    value: error.name,
    writable: true,
    enumerable: Object.prototype.propertyIsEnumerable.call(error, 'name'),
    configurable: true,
  });
  Object.defineProperty(scrubbed, 'message', {
    value: message,
    writable: true,
    enumerable: false,
    configurable: true,
  });
  // The frames only: the first line of a stack repeats the unscrubbed message.
  const frames = (error.stack ?? '')
    .split('\n')
    .filter(line => /^\s+at /.test(line));
  Object.defineProperty(scrubbed, 'stack', {
    value: [`${error.name}: ${message}`, ...frames].join('\n'),
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return scrubbed as T;
}

// --- end of scrubbing ---

interface KubeStatus {
  message?: string;
  reason?: string;
  details?: { causes?: ClusterCause[] };
}

function parseStatus(body: unknown): KubeStatus {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body) as KubeStatus;
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  return (body ?? {}) as KubeStatus;
}

const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * True for failures where the cluster was not reached or did not answer in time.
 * @public
 */
export function isNetworkError(error: unknown): boolean {
  const e = error as {
    name?: string;
    code?: string;
    type?: string;
    cause?: unknown;
  };
  if (!e || error instanceof ApiException) return false;
  return (
    e.name === 'ClusterTransportError' ||
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    e.type === 'aborted' ||
    e.type === 'request-timeout' ||
    (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) ||
    (e.type === 'system' && typeof e.code === 'string') ||
    (e.cause !== undefined && e.cause !== error && isNetworkError(e.cause))
  );
}

/** Why the cluster was not reached: the error code when there is one (its message names addresses). */
function networkReason(error: unknown): string {
  const chain: { name?: string; code?: string; message?: string }[] = [];
  let e = error as { cause?: unknown } | undefined;
  while (e && typeof e === 'object' && chain.length < 5) {
    chain.push(e as (typeof chain)[number]);
    e = e.cause as typeof e;
  }
  // A request's deadline aborts it (Node's AbortError, code ABORT_ERR): say so rather than the code.
  if (chain.some(c => c.name === 'AbortError' || c.name === 'TimeoutError'))
    return 'timed out';
  const code = chain.find(c => typeof c.code === 'string')?.code;
  if (code) return code;
  return (error as Error)?.message ?? String(error);
}

function scrubCause(cause: ClusterCause): ClusterCause {
  return {
    ...cause,
    ...(cause.message !== undefined
      ? { message: scrubClusterMessage(cause.message) }
      : {}),
    ...(cause.field !== undefined
      ? { field: scrubClusterMessage(cause.field) }
      : {}),
  };
}

/**
 * The HTTP status of a cluster answer, or undefined for network failures.
 * @public
 */
export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/**
 * Turns what a cluster call threw (an ApiException for an answer, a network error) into the error
 * the portal's API answers with. `what` names the object or operation, so the message says what
 * failed.
 * @public
 */
export function toPortalError(
  cluster: string,
  what: string,
  error: unknown,
): Error {
  if (isNetworkError(error)) {
    return new ServiceUnavailableError(
      `Kubernetes cluster '${cluster}' is unreachable (${what}): ${scrubClusterMessage(
        networkReason(error),
      )}`,
    );
  }
  if (!(error instanceof ApiException)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const status = parseStatus(error.body);
  // The API server's message may name the portal's ServiceAccount (403) or a webhook's address.
  const message = scrubClusterMessage(status.message ?? `HTTP ${error.code}`);
  switch (error.code) {
    case 404:
      return new NotFoundError(`${what}: ${message}`);
    case 409:
      return new ConflictError(`${what}: ${message}`);
    case 400:
    case 422:
      return new ClusterRejectedError(
        `Cluster '${cluster}' rejected ${what}: ${message}`,
        (status.details?.causes ?? []).map(scrubCause),
      );
    case 429:
    case 502:
    case 503:
    case 504:
      return new ServiceUnavailableError(
        `Kubernetes cluster '${cluster}' is unavailable (${what}): ${message}`,
      );
    default:
      return new ClusterFailureError(
        `Kubernetes cluster '${cluster}' failed ${what} (HTTP ${error.code}): ${message}`,
        error.code,
      );
  }
}

/**
 * The same kind of error (so the same HTTP status) with a message that says more, e.g. which
 * object of a publication failed and whether the attempt was rolled back.
 * @public
 */
export function withMessage(error: Error, message: string): Error {
  if (error instanceof ClusterRejectedError)
    return new ClusterRejectedError(message, error.causes);
  if (error instanceof ClusterFailureError)
    return new ClusterFailureError(message, error.statusCode);
  if (error instanceof ServiceUnavailableError)
    return new ServiceUnavailableError(message);
  if (error instanceof ConflictError) return new ConflictError(message);
  if (error instanceof NotFoundError) return new NotFoundError(message);
  return new Error(message);
}
