import { storageUriHost } from './storageUriFailures';

/**
 * The sandbox's convention for a model that is deployed fine but fails every inference request,
 * so that tests (and the portal over plain HTTP, a seed file or kubectl) can drive one side of a
 * rollout's error rate up without any set-up call: a model whose storage URI's host (the bucket,
 * storage account or server) is `serving-errors`, e.g. `gs://serving-errors/iris`, downloads as
 * any other (its pods become Ready, its InferenceService Ready), and the mock model server
 * answers each of its inference requests (`/v1/models/<m>:predict`, `/v2/models/<m>/infer`,
 * `/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`) with HTTP 500 and the body KServe's
 * model server sends for an unhandled exception, `{"error": "<exception type> : <message>"}`
 * (kserve/kserve v0.20.0 python/kserve/kserve/errors.py `generic_exception_handler`). Metadata,
 * readiness and health endpoints answer as usual, as a model whose predict step raises would.
 *
 * The mock model server is one process for every model: it knows which model a request is for
 * from the in-cluster destination the gateway double names in `x-gateway-sandbox-destination`
 * (modelServer.ts). A request sent straight to the server, without that header, is never failed.
 * See the README, "Fault injection".
 */
export const SERVING_ERRORS_HOST = 'serving-errors';

export function isServingErrorsStorageUri(uri: string): boolean {
  return storageUriHost(uri) === SERVING_ERRORS_HOST;
}

/** The JSON body of a failed inference request (errors.py `generic_exception_handler`). */
export function servingErrorBody(): { error: string } {
  return {
    error: `RuntimeError : sandbox fault: the model's storage URI host is ${SERVING_ERRORS_HOST}, every inference request fails`,
  };
}
