import { KubeObject } from '../store/types';

/** What differs between the tests' InferenceServices; the rest is an sklearn predictor. */
export interface SklearnInferenceServiceOptions {
  name: string;
  namespace: string;
  /** `serving.kserve.io/deploymentMode`; none leaves the annotation out (KServe's default). */
  mode?: 'Knative' | 'Standard' | string;
  storageUri?: string;
  /** Merged into `spec.predictor` beside the model (canaryTrafficPercent, resources, ...). */
  predictor?: Record<string, unknown>;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
}

/** An sklearn InferenceService as the tests of both sandboxes apply it. */
export function sklearnInferenceService(
  options: SklearnInferenceServiceOptions,
): KubeObject & { metadata: { name: string; namespace: string } } {
  const annotations = {
    ...(options.mode
      ? { 'serving.kserve.io/deploymentMode': options.mode }
      : {}),
    ...options.annotations,
  };
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: options.name,
      namespace: options.namespace,
      ...(options.labels ? { labels: options.labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: {
      predictor: {
        model: {
          modelFormat: { name: 'sklearn' },
          storageUri: options.storageUri ?? 'gs://bucket/iris',
        },
        ...options.predictor,
      },
    },
  };
}

/**
 * `sklearnInferenceService` in one namespace, by position: (name, mode, storageUri, predictor,
 * annotations), as the rollout and fault tests call it.
 */
export function sklearnInferenceServicesIn(namespace: string) {
  return (
    name: string,
    mode: 'Knative' | 'Standard',
    storageUri: string,
    predictor: Record<string, unknown> = {},
    annotations: Record<string, string> = {},
  ) =>
    sklearnInferenceService({
      name,
      namespace,
      mode,
      storageUri,
      predictor,
      annotations,
    });
}
