import type { Entity } from '@backstage/catalog-model';

/**
 * A catalog Group as the catalog stores it, for tests of tenant trust: `origin` is what the catalog
 * itself records as `backstage.io/managed-by-origin-location` (and `managed-by-location`) for the
 * location the group came from, whatever its YAML said; `null` leaves both out.
 */
export function tenantGroupEntity(options: {
  name: string;
  /** The group's catalog namespace. */
  namespace?: string;
  /** Its annotations, e.g. `inference.platform.io/namespace`. */
  annotations?: Record<string, string>;
  origin: string | null;
  members?: string[];
  /** `spec.type`; tenants are `tenant`. */
  type?: string;
}): Entity {
  const origin: Record<string, string> =
    options.origin === null
      ? {}
      : {
          'backstage.io/managed-by-location': options.origin,
          'backstage.io/managed-by-origin-location': options.origin,
        };
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: options.name,
      namespace: options.namespace ?? 'default',
      annotations: { ...origin, ...options.annotations },
    },
    spec: { type: options.type ?? 'tenant', children: [] },
    relations: (options.members ?? []).map(targetRef => ({
      type: 'hasMember',
      targetRef,
    })),
  };
}
