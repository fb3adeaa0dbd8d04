import {
  ANNOTATION_FRAMEWORK,
  ANNOTATION_MODEL_TYPE,
  LABEL_MANAGED_BY,
  MANAGED_BY_PORTAL,
  ModelSpec,
  modelSpecSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { applyChangesNothing } from '../publication/applyChangesNothing';
import {
  ANNOTATION_DEPLOYMENT_MODE,
  buildInferenceService,
  GPU_RESOURCE,
} from './buildInferenceService';
import type { InferenceServiceObject, KubeContainer } from './types';

export type ReadModelSpecResult =
  | { ok: true; spec: ModelSpec }
  | { ok: false; problem: string };

function resourcesOf(
  resources: KubeContainer['resources'],
): ModelSpec['resources'] {
  if (!resources) return undefined;
  const { [GPU_RESOURCE]: gpu, ...limits } = resources.limits ?? {};
  const result: Record<string, unknown> = {};
  if (resources.requests && Object.keys(resources.requests).length > 0)
    result.requests = resources.requests;
  if (Object.keys(limits).length > 0) result.limits = limits;
  if (gpu !== undefined) result.gpu = Number(gpu);
  return result as ModelSpec['resources'];
}

/**
 * The model spec an InferenceService was built from, the inverse of `buildInferenceService`: what
 * a change of one field (a rollout's new version) starts from. Only for an InferenceService the
 * portal applied and nobody changed since: the spec read back must build an object whose apply
 * by `fieldManager` would change nothing (applyChangesNothing.ts), so that no field the portal
 * does not model is lost or silently rewritten. Anything else answers why not.
 */
export function readModelSpec(
  isvc: InferenceServiceObject,
  tenant: string,
  fieldManager: string,
  options: {
    /** The model's name, when the InferenceService has another (a blue-green candidate's). */
    name?: string;
    /** How the portal built it; `buildInferenceService` unless given. */
    rebuild?: (spec: ModelSpec) => InferenceServiceObject;
  } = {},
): ReadModelSpecResult {
  const { labels = {}, annotations = {} } = isvc.metadata;
  if (labels[LABEL_MANAGED_BY] !== MANAGED_BY_PORTAL) {
    return {
      ok: false,
      problem: `'${isvc.metadata.name}' was not created by the portal (label ${LABEL_MANAGED_BY} is not ${MANAGED_BY_PORTAL})`,
    };
  }
  const predictor = isvc.spec.predictor;
  const container = predictor.containers?.[0];
  const model = predictor.model;
  const candidate = {
    name: options.name ?? isvc.metadata.name,
    framework: annotations[ANNOTATION_FRAMEWORK],
    deploymentMode: annotations[ANNOTATION_DEPLOYMENT_MODE],
    modelType: annotations[ANNOTATION_MODEL_TYPE],
    minReplicas: predictor.minReplicas,
    maxReplicas: predictor.maxReplicas,
    scaleMetric: predictor.scaleMetric,
    scaleTarget: predictor.scaleTarget,
    canaryTrafficPercent: predictor.canaryTrafficPercent,
    ...(container
      ? {
          image: container.image,
          args: container.args,
          storageUri: container.env?.find(e => e.name === 'STORAGE_URI')?.value,
          resources: resourcesOf(container.resources),
        }
      : {
          storageUri: model?.storageUri,
          args: model?.args,
          resources: resourcesOf(model?.resources),
        }),
  };
  const parsed = modelSpecSchema.safeParse(candidate);
  if (!parsed.success) {
    return {
      ok: false,
      problem: `the InferenceService of '${
        isvc.metadata.name
      }' does not describe a model spec the portal makes (${parsed.error.issues
        .map(i => `${i.path.join('.')}: ${i.message}`)
        .join('; ')})`,
    };
  }
  const rebuilt =
    options.rebuild?.(parsed.data) ??
    buildInferenceService(isvc.metadata.namespace!, parsed.data, { tenant });
  if (!applyChangesNothing(isvc, rebuilt, fieldManager)) {
    return {
      ok: false,
      problem: `the InferenceService of '${isvc.metadata.name}' was changed outside the portal since the portal last wrote it`,
    };
  }
  return { ok: true, spec: parsed.data };
}
