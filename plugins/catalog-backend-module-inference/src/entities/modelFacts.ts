import type { KubeObject } from '@inference-in-a-box/backstage-plugin-inference-node';
import {
  ANNOTATION_FRAMEWORK,
  ANNOTATION_MODEL_TYPE,
  MODEL_TYPES,
  ModelType,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { DiscoveredModel } from '../discovery/types';

type Json = Record<string, any>;

/**
 * The framework of an InferenceService: what the portal recorded when it created it, else the
 * `modelFormat` KServe serves it with, else `custom-openai` for a custom container.
 */
export function frameworkOf(isvc: KubeObject): string | undefined {
  const recorded = isvc.metadata.annotations?.[ANNOTATION_FRAMEWORK];
  if (recorded) return recorded;
  const predictor = (isvc.spec as Json | undefined)?.predictor as
    | Json
    | undefined;
  const format = predictor?.model?.modelFormat?.name;
  if (typeof format === 'string' && format) return format.toLowerCase();
  return Array.isArray(predictor?.containers) ? 'custom-openai' : undefined;
}

/**
 * How the model is served, when it is known for sure: the publication's type (what the gateway
 * routes), else the type the user chose at creation (the InferenceService's annotation).
 */
export function modelTypeOf(model: DiscoveredModel): ModelType | undefined {
  if (model.publication) return model.publication.request.modelType;
  const annotated = model.isvc.metadata.annotations?.[ANNOTATION_MODEL_TYPE];
  return (MODEL_TYPES as readonly string[]).includes(annotated ?? '')
    ? (annotated as ModelType)
    : undefined;
}

/** A catalog tag from a free-form value (`[a-z0-9+#]` words joined by '-', at most 63 characters). */
export function toTag(value: string): string | undefined {
  const tag = value
    .toLowerCase()
    .replace(/[^a-z0-9+#]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return tag || undefined;
}
