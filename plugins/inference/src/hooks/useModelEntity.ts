import { useMemo } from 'react';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_CLUSTER,
  readModelEntityAnnotations,
  stringifyInferenceModelRef,
  type ModelLocator,
  type ModelType,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** The model behind the current catalog entity page: where the backend finds it. */
export interface ModelEntity {
  locator: ModelLocator;
  /** `<cluster>/<namespace>/<name>`, the resource ref of model permissions. */
  resourceRef: string;
  modelType?: ModelType;
  framework?: string;
}

/** The model behind the current catalog entity page, or why it cannot be addressed. */
export type ModelEntityInfo =
  | (ModelEntity & { problem?: undefined })
  | { locator?: undefined; problem: string };

/** Reads the model's coordinates from the entity's annotations (see `-common`'s readModelEntityAnnotations). */
export function useModelEntity(): ModelEntityInfo {
  const { entity } = useEntity();
  return useMemo(() => {
    const annotations = readModelEntityAnnotations(entity);
    if (!annotations) {
      return {
        problem:
          'This entity has no inference namespace and InferenceService annotations.',
      };
    }
    const { cluster, namespace, name } = annotations.locator;
    if (!cluster) {
      return {
        problem: `This entity has no ${ANNOTATION_CLUSTER} annotation, so the portal cannot tell which cluster serves it.`,
      };
    }
    const locator = { cluster, namespace, name };
    try {
      return {
        locator,
        resourceRef: stringifyInferenceModelRef(locator),
        modelType: annotations.modelType,
        framework: annotations.framework,
      };
    } catch (e) {
      return { problem: (e as Error).message };
    }
  }, [entity]);
}
