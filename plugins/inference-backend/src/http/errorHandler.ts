import type { ErrorRequestHandler } from 'express';
import { InputError, serializeError } from '@backstage/errors';
import {
  ClusterFailureError,
  ClusterRejectedError,
  scrubError,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { RequestValidationError } from './validation';

/**
 * Answers the errors whose body carries more than Backstage's standard handler sends: a bad request
 * lists every offending field (400), a rejection by the cluster is 422 with the cluster's causes
 * (the field and why), any other cluster failure 502. Everything else falls through to Backstage's
 * standard error handler. No stack traces leave, and no internal detail: every error but a 400
 * about the caller's own input (its message is this plugin's, about what the caller sent), those
 * passed on included, is scrubbed first (`scrubError`: no URLs, IPs, host:port, in-cluster DNS
 * names, ServiceAccount names, cause chains or raw responses; status, kind/name and field causes
 * stay). Cluster errors are scrubbed where they are made already (toPortalError); this catches
 * whatever else carries such detail.
 */
function statusOf(error: unknown): number | undefined {
  if (error instanceof RequestValidationError) return 400;
  if (error instanceof ClusterRejectedError) return 422;
  if (error instanceof ClusterFailureError) return 502;
  return undefined;
}

export const inferenceErrorHandler: ErrorRequestHandler = (
  rawError,
  req,
  res,
  next,
) => {
  const error =
    rawError instanceof InputError ? rawError : scrubError(rawError);
  const status = statusOf(error);
  if (!status) {
    next(error);
    return;
  }
  const { stack: _stack, ...serialized } = serializeError(error);
  res.status(status).json({
    error: {
      ...serialized,
      ...(error instanceof ClusterRejectedError
        ? { causes: error.causes }
        : {}),
      ...(error instanceof RequestValidationError
        ? { fields: error.fields }
        : {}),
    },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: status },
  });
};
