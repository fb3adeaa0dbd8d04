import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_CLUSTER,
  ANNOTATION_FRAMEWORK,
  ANNOTATION_INFERENCE_SERVICE,
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_NAMESPACE,
  ANNOTATION_MODEL_TYPE,
  ANNOTATION_NAMESPACE,
  MODEL_ENTITY_KIND,
  MODEL_ENTITY_TYPE,
} from '@internal/backstage-plugin-inference-common';
import { DiscoveredModel, keyOf } from '../discovery/types';
import { locationAnnotations } from './location';
import { frameworkOf, modelTypeOf, toTag } from './modelFacts';

/** The label KServe puts on every pod of an InferenceService. */
const KSERVE_POD_LABEL = 'serving.kserve.io/inferenceservice';

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
        // Finds the predictor's pods without asking KServe to add the kubernetes-id label.
        'backstage.io/kubernetes-label-selector': `${KSERVE_POD_LABEL}=${isvcName}`,
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
