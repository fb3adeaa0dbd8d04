import type { ModelLocator } from './api/types';
import { DNS_LABEL_PATTERN } from './kubernetesNames';
import {
  createPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/**
 * Resource type of models (InferenceServices) in the permission framework. Conditional decisions
 * for it are evaluated by the inference backend's rules (e.g. "in one of the user's tenants").
 * @public
 */
export const INFERENCE_MODEL_RESOURCE_TYPE = 'inference-model';

/** @public */
export type InferenceModelPermission = ResourcePermission<
  typeof INFERENCE_MODEL_RESOURCE_TYPE
>;

/** See a model, its status, publication and history. @public */
export const inferenceModelReadPermission = createPermission({
  name: 'inference.model.read',
  attributes: { action: 'read' },
  resourceType: INFERENCE_MODEL_RESOURCE_TYPE,
});

/**
 * Create a model. A resource permission although the model does not exist yet: the resource ref
 * names the target tenant namespace, so a policy can allow members to create in their tenants only.
 * @public
 */
export const inferenceModelCreatePermission = createPermission({
  name: 'inference.model.create',
  attributes: { action: 'create' },
  resourceType: INFERENCE_MODEL_RESOURCE_TYPE,
});

/** @public */
export const inferenceModelUpdatePermission = createPermission({
  name: 'inference.model.update',
  attributes: { action: 'update' },
  resourceType: INFERENCE_MODEL_RESOURCE_TYPE,
});

/** @public */
export const inferenceModelDeletePermission = createPermission({
  name: 'inference.model.delete',
  attributes: { action: 'delete' },
  resourceType: INFERENCE_MODEL_RESOURCE_TYPE,
});

/** Publish, update the publication of, or unpublish a model. @public */
export const inferenceModelPublishPermission = createPermission({
  name: 'inference.model.publish',
  attributes: { action: 'update' },
  resourceType: INFERENCE_MODEL_RESOURCE_TYPE,
});

/**
 * Send a test request to a model through the portal. No CRUD action fits (it changes nothing in
 * the catalog or cluster but does consume the model's capacity), so it has no action attribute.
 * @public
 */
export const inferenceModelTestPermission = createPermission({
  name: 'inference.model.test',
  attributes: {},
  resourceType: INFERENCE_MODEL_RESOURCE_TYPE,
});

/** Create, list, rotate and revoke the API keys of a model's publication. @public */
export const inferenceModelKeysManagePermission = createPermission({
  name: 'inference.model.keys.manage',
  attributes: { action: 'update' },
  resourceType: INFERENCE_MODEL_RESOURCE_TYPE,
});

/** Platform-wide views and actions (all tenants, platform overview). A basic permission. @public */
export const inferenceAdminPermission = createPermission({
  name: 'inference.admin',
  attributes: {},
});

/** Every permission of the inference plugin, for `permissionsRegistry.addPermissions`. @public */
export const inferencePermissions = [
  inferenceModelReadPermission,
  inferenceModelCreatePermission,
  inferenceModelUpdatePermission,
  inferenceModelDeletePermission,
  inferenceModelPublishPermission,
  inferenceModelTestPermission,
  inferenceModelKeysManagePermission,
  inferenceAdminPermission,
];

/**
 * The resource ref of a model: `<cluster>/<namespace>/<name>`. The cluster is part of it because
 * the same namespace and name can exist in several configured clusters, and a tenant is a
 * namespace in a given cluster. Namespace and name are DNS labels (no `/`); the cluster name is
 * whatever the configuration calls it and may itself contain `/`, so refs are parsed from the right.
 * @public
 */
export function stringifyInferenceModelRef(model: ModelLocator): string {
  if (!model.cluster) {
    throw new TypeError('A model resource ref needs a cluster name');
  }
  for (const part of [model.namespace, model.name]) {
    if (!DNS_LABEL_PATTERN.test(part)) {
      throw new TypeError(
        `Invalid namespace or name in model resource ref: "${part}"`,
      );
    }
  }
  return `${model.cluster}/${model.namespace}/${model.name}`;
}

/** Parses a ref made by {@link stringifyInferenceModelRef}; throws a TypeError on anything else. @public */
export function parseInferenceModelRef(ref: string): ModelLocator {
  const parts = ref.split('/');
  if (parts.length < 3) {
    throw new TypeError(
      `Invalid model resource ref "${ref}", expected <cluster>/<namespace>/<name>`,
    );
  }
  const name = parts.pop()!;
  const namespace = parts.pop()!;
  const cluster = parts.join('/');
  const coordinates = { cluster, namespace, name };
  // Round-trips through the validating writer so both directions accept exactly the same refs.
  stringifyInferenceModelRef(coordinates);
  return coordinates;
}
