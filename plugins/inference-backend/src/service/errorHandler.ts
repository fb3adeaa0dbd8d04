import type { ErrorRequestHandler } from 'express';
import { serializeError } from '@backstage/errors';
import { ClusterFailureError, ClusterRejectedError } from '../cluster/errors';

/**
 * Answers the two cluster errors that @backstage/errors has no HTTP code for: a rejection by the
 * cluster is 422 with the cluster's causes (the field and why), any other cluster failure 502.
 * Everything else falls through to Backstage's standard error handler. No stack traces leave.
 */
export const clusterErrorHandler: ErrorRequestHandler = (error, req, res, next) => {
  const status =
    error instanceof ClusterRejectedError ? 422 : error instanceof ClusterFailureError ? 502 : undefined;
  if (!status) {
    next(error);
    return;
  }
  const { stack: _stack, ...serialized } = serializeError(error);
  res.status(status).json({
    error: {
      ...serialized,
      ...(error instanceof ClusterRejectedError ? { causes: error.causes } : {}),
    },
    request: { method: req.method, url: req.originalUrl },
    response: { statusCode: status },
  });
};
