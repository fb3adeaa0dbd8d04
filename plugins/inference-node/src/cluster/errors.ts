import { ApiException } from '@kubernetes/client-node';
import {
  ConflictError,
  CustomErrorBase,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** One reason the cluster gave for rejecting an object, as in a Kubernetes Status's details.causes. */
export interface ClusterCause {
  reason?: string;
  field?: string;
  message?: string;
}

/**
 * The cluster refused the object as invalid (Kubernetes 422 Invalid, or 400 BadRequest for unknown
 * fields). Answered as HTTP 422 with the cluster's causes, so the user sees which field is wrong.
 */
export class ClusterRejectedError extends CustomErrorBase {
  name = 'ClusterRejectedError' as const;
  constructor(message: string, readonly causes: ClusterCause[]) {
    super(message);
  }
}

/** The cluster answered with a failure we cannot attribute to the request (5xx, 403 for the portal). */
export class ClusterFailureError extends CustomErrorBase {
  name = 'ClusterFailureError' as const;
  constructor(message: string, readonly statusCode: number) {
    super(message);
  }
}

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

/** True for failures where the cluster was not reached or did not answer in time. */
export function isNetworkError(error: unknown): boolean {
  const e = error as {
    name?: string;
    code?: string;
    type?: string;
    cause?: unknown;
  };
  if (!e || error instanceof ApiException) return false;
  return (
    e.name === 'AbortError' ||
    e.name === 'TimeoutError' ||
    e.type === 'aborted' ||
    e.type === 'request-timeout' ||
    (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) ||
    (e.type === 'system' && typeof e.code === 'string') ||
    (e.cause !== undefined && e.cause !== error && isNetworkError(e.cause))
  );
}

/** The HTTP status of a cluster answer, or undefined for network failures. */
export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/**
 * Turns what client-node threw into the error the portal's API answers with. `what` names the
 * object or operation, so the message says what failed.
 */
export function toPortalError(
  cluster: string,
  what: string,
  error: unknown,
): Error {
  if (isNetworkError(error)) {
    return new ServiceUnavailableError(
      `Kubernetes cluster '${cluster}' is unreachable (${what}): ${
        (error as Error).message
      }`,
    );
  }
  if (!(error instanceof ApiException)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const status = parseStatus(error.body);
  const message = status.message ?? `HTTP ${error.code}`;
  switch (error.code) {
    case 404:
      return new NotFoundError(`${what}: ${message}`);
    case 409:
      return new ConflictError(`${what}: ${message}`);
    case 400:
    case 422:
      return new ClusterRejectedError(
        `Cluster '${cluster}' rejected ${what}: ${message}`,
        status.details?.causes ?? [],
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
