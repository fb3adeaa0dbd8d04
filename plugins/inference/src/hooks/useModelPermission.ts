import { usePermission } from '@backstage/plugin-permission-react';
import type { InferenceModelPermission } from '@inference-in-a-box/backstage-plugin-inference-common';

/** Whether the user may take an action on a model, and if not, a sentence that says why. */
export interface ModelPermission {
  loading: boolean;
  allowed: boolean;
  /** Shown beside the disabled control; undefined while loading or when allowed. */
  deniedReason?: string;
}

/**
 * Asks the permission framework about one action on one model (resource ref
 * `<cluster>/<namespace>/<name>`), so controls are disabled up front with the reason instead of
 * being offered and then refused by the backend.
 */
export function useModelPermission(
  permission: InferenceModelPermission,
  resourceRef: string,
  action: string,
): ModelPermission {
  const { loading, allowed, error } = usePermission({
    permission,
    resourceRef,
  });
  if (loading) {
    return { loading, allowed: false };
  }
  if (error) {
    return {
      loading,
      allowed: false,
      deniedReason: `Could not check whether you may ${action}: ${error.message}`,
    };
  }
  const namespace = resourceRef.split('/').slice(-2)[0];
  return {
    loading,
    allowed,
    deniedReason: allowed
      ? undefined
      : `You do not have permission to ${action} (${permission.name} in tenant namespace ${namespace}).`,
  };
}
