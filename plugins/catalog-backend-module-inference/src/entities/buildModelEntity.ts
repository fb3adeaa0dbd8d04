import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_FRAMEWORK,
  ANNOTATION_INFERENCE_SERVICE,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_MODEL_TYPE,
  ANNOTATION_NAMESPACE,
  LABEL_MODEL,
  MODEL_ENTITY_KIND,
  MODEL_ENTITY_TYPE,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { DiscoveredModel, keyOf } from '../discovery/types';
import { locationAnnotations } from './location';
import { frameworkOf, modelTypeOf, toTag } from './modelFacts';

/** The label KServe puts on every pod of an InferenceService. */
const KSERVE_POD_LABEL = 'serving.kserve.io/inferenceservice';

/**
 * What the Kubernetes tab selects a model's objects by. The portal's model label, when the
 * InferenceService carries it, is on the InferenceService itself, on its publication's objects and,
 * since KServe copies an InferenceService's labels to the predictor's Deployment and Pods
 * (kserve v0.20.0 `pkg/controller/v1beta1/inferenceservice/components/predictor.go`
 * `buildObjectMeta`), on those too; without it, KServe's own pod label finds the workloads.
 */
function kubernetesLabelSelector(model: DiscoveredModel): string {
  const { name, labels } = model.isvc.metadata;
  const modelLabel = labels?.[LABEL_MODEL];
  return modelLabel
    ? `${LABEL_MODEL}=${modelLabel}`
    : `${KSERVE_POD_LABEL}=${name}`;
}

/** The annotations that tie a model's entities to its InferenceService (Component and API alike). */
export function modelAnnotations(
  model: DiscoveredModel,
): Record<string, string> {
  const framework = frameworkOf(model.isvc);
  const modelType = modelTypeOf(model);
  return {
    ...locationAnnotations(keyOf(model)),
    [ANNOTATION_NAMESPACE]: model.tenant.namespace,
    [ANNOTATION_INFERENCE_SERVICE]: model.isvc.metadata.name,
    [ANNOTATION_CLUSTER]: model.tenant.cluster,
    ...(framework ? { [ANNOTATION_FRAMEWORK]: framework } : {}),
    ...(modelType ? { [ANNOTATION_MODEL_TYPE]: modelType } : {}),
  };
}

/**
 * The model's Component. Lifecycle says whether it is reachable from outside: `production` once
 * published through the gateway, `experimental` before.
 */
export function buildModelEntity(options: {
  model: DiscoveredModel;
  name: string;
  system: string;
  /** Ref of the API entity of its publication, when published. */
  apiRef?: string;
}): Entity {
  const { model } = options;
  const { name: isvcName } = model.isvc.metadata;
  const framework = frameworkOf(model.isvc);
  const modelType = modelTypeOf(model);
  const tags = [framework, modelType].flatMap(value => {
    const tag = value && toTag(value);
    return tag ? [tag] : [];
  });
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: MODEL_ENTITY_KIND,
    metadata: {
      name: options.name,
      title: `${isvcName} (${model.tenant.name})`,
      description: `${framework ?? 'A'} model served by KServe in namespace ${
        model.tenant.namespace
      } of cluster ${model.tenant.cluster}.`,
      ...(tags.length > 0 ? { tags: [...new Set(tags)] } : {}),
      annotations: {
        ...modelAnnotations(model),
        [ANNOTATION_KUBERNETES_ID]: isvcName,
        [ANNOTATION_KUBERNETES_NAMESPACE]: model.tenant.namespace,
        'backstage.io/kubernetes-label-selector':
          kubernetesLabelSelector(model),
      },
    },
    spec: {
      type: MODEL_ENTITY_TYPE,
      lifecycle: model.publication ? 'production' : 'experimental',
      owner: model.tenant.ref,
      system: options.system,
      ...(options.apiRef ? { providesApis: [options.apiRef] } : {}),
    },
  };
}
