/**
 * Catalog annotations the inference plugins read and write. One prefix, defined once here, so the
 * frontend, the backend, the entity provider and the catalog YAML cannot drift apart.
 * @public
 */
export const INFERENCE_ANNOTATION_PREFIX = 'inference.platform.io';

/** @public */
export const ANNOTATION_NAMESPACE = `${INFERENCE_ANNOTATION_PREFIX}/namespace`;
/** @public */
export const ANNOTATION_INFERENCE_SERVICE = `${INFERENCE_ANNOTATION_PREFIX}/inference-service`;
/** @public */
export const ANNOTATION_CLUSTER = `${INFERENCE_ANNOTATION_PREFIX}/cluster`;
/** @public */
export const ANNOTATION_FRAMEWORK = `${INFERENCE_ANNOTATION_PREFIX}/framework`;
/** @public */
export const ANNOTATION_MODEL_TYPE = `${INFERENCE_ANNOTATION_PREFIX}/model-type`;

/** Annotations of the Backstage Kubernetes plugin, set on models so its tab shows their pods. @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/** @public */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';
