import { createPermissionResourceRef } from '@backstage/plugin-permission-node';
import { INFERENCE_MODEL_RESOURCE_TYPE } from '@inference-in-a-box/backstage-plugin-inference-common';

/**
 * What permission rules see of a model: where it lives and which tenant group owns that place.
 * @public
 */
export interface InferenceModelResource {
  cluster: string;
  namespace: string;
  name: string;
  /** Entity ref of the tenant group whose namespace this is; undefined outside every tenant. */
  tenantRef?: string;
}

/**
 * The permission resource of inference models (`inference-model`), for rules and conditions.
 * @public
 */
export const inferenceModelResourceRef = createPermissionResourceRef<
  InferenceModelResource,
  never
>().with({
  pluginId: 'inference',
  resourceType: INFERENCE_MODEL_RESOURCE_TYPE,
});
