import { ValidationCause } from '../schema/types';
import { ResourceKind } from './resourceRegistry';

/** A `meta/v1` Status object as the API server answers errors. */
export interface KubeStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: ValidationCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

export function reasonForCode(code: number): string {
  return REASON_BY_CODE[code] ?? (code >= 500 ? 'InternalError' : 'Unknown');
}

export function failureStatus(
  code: number,
  message: string,
  reason = reasonForCode(code),
  details?: KubeStatus['details'],
): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** An error that is answered as a Kubernetes Status object. */
export class KubeError extends Error {
  readonly status: KubeStatus;

  constructor(status: KubeStatus) {
    super(status.message);
    this.status = status;
  }

  static of(
    code: number,
    message: string,
    reason?: string,
    details?: KubeStatus['details'],
  ) {
    return new KubeError(failureStatus(code, message, reason, details));
  }
}

/** `inferenceservices.serving.kserve.io`, or `namespaces` for the core group. */
export function qualifiedResource(kind: ResourceKind): string {
  return kind.group ? `${kind.plural}.${kind.group}` : kind.plural;
}

/** An error about one object, with `details` naming it as the API server does. */
function objectError(
  code: number,
  reason: string,
  kind: ResourceKind,
  name: string,
  message: string,
): KubeError {
  return KubeError.of(code, message, reason, {
    name,
    group: kind.group,
    kind: kind.plural,
  });
}

export function notFound(kind: ResourceKind, name: string): KubeError {
  const message = `${qualifiedResource(kind)} "${name}" not found`;
  return objectError(404, 'NotFound', kind, name, message);
}

export function alreadyExists(kind: ResourceKind, name: string): KubeError {
  const message = `${qualifiedResource(kind)} "${name}" already exists`;
  return objectError(409, 'AlreadyExists', kind, name, message);
}

export function conflict(
  kind: ResourceKind,
  name: string,
  detail: string,
): KubeError {
  const message = `Operation cannot be fulfilled on ${qualifiedResource(
    kind,
  )} "${name}": ${detail}`;
  return objectError(409, 'Conflict', kind, name, message);
}

export function badRequest(message: string): KubeError {
  return KubeError.of(400, message, 'BadRequest');
}

/** 422 Invalid; the message lists the causes like the API server does. */
export function invalid(
  kindName: string,
  group: string,
  name: string,
  causes: ValidationCause[],
): KubeError {
  const qualifiedKind = group ? `${kindName}.${group}` : kindName;
  const rendered = causes.map(c => `${c.field}: ${c.message}`);
  const summary =
    rendered.length === 1 ? rendered[0] : `[${rendered.join(', ')}]`;
  return KubeError.of(
    422,
    `${qualifiedKind} "${name}" is invalid: ${summary}`,
    'Invalid',
    {
      name,
      group,
      kind: kindName,
      causes,
    },
  );
}
