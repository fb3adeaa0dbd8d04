import { ManifestIssue } from './types';

/**
 * Checks that references between platform objects point at objects that are part of the
 * manifests: a policy that targets a Gateway that does not exist is accepted by every schema and
 * silently does nothing in a cluster. Objects generated at install time (Secrets) are not
 * referenced through the fields checked here.
 */

export interface LocatedObject {
  file: string;
  obj: Record<string, unknown>;
}

type Reference = {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  field: string;
};

function groupOf(apiVersion: unknown): string {
  const parts = String(apiVersion).split('/');
  return parts.length === 2 ? parts[0] : '';
}

function key(
  group: string,
  kind: string,
  namespace: string,
  name: string,
): string {
  return `${group}|${kind}|${namespace}|${name}`;
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'GatewayClass',
]);

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : {};
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord) : [];
}

function referencesOf(obj: Record<string, unknown>): Reference[] {
  const kind = String(obj.kind);
  const group = groupOf(obj.apiVersion);
  const namespace = String(asRecord(obj.metadata).namespace ?? '');
  const spec = asRecord(obj.spec);
  const refs: Reference[] = [];
  const ref = (
    r: Record<string, unknown>,
    field: string,
    defaults: Partial<Reference> = {},
  ) =>
    refs.push({
      group: String(r.group ?? defaults.group ?? ''),
      kind: String(r.kind ?? defaults.kind ?? ''),
      namespace: CLUSTER_SCOPED.has(String(r.kind ?? defaults.kind))
        ? ''
        : String(r.namespace ?? defaults.namespace ?? namespace),
      name: String(r.name),
      field,
    });

  if (group === 'gateway.envoyproxy.io' && kind.endsWith('Policy')) {
    if (spec.targetRef) ref(asRecord(spec.targetRef), 'spec.targetRef');
    asArray(spec.targetRefs).forEach((r, i) => ref(r, `spec.targetRefs[${i}]`));
  }
  if (group === 'gateway.networking.k8s.io' && kind === 'Gateway') {
    ref({ name: spec.gatewayClassName }, 'spec.gatewayClassName', {
      group: 'gateway.networking.k8s.io',
      kind: 'GatewayClass',
    });
    const parametersRef = asRecord(asRecord(spec.infrastructure).parametersRef);
    if (parametersRef.name)
      ref(parametersRef, 'spec.infrastructure.parametersRef');
  }
  if (kind === 'HTTPRoute' || kind === 'AIGatewayRoute') {
    asArray(spec.parentRefs).forEach((r, i) =>
      ref(r, `spec.parentRefs[${i}]`, {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
      }),
    );
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    const roleRef = asRecord(obj.roleRef);
    ref({ ...roleRef, group: roleRef.apiGroup }, 'roleRef', { namespace });
    asArray(obj.subjects).forEach((s, i) => {
      if (s.kind === 'ServiceAccount')
        ref({ ...s, group: '' }, `subjects[${i}]`);
    });
  }
  if (kind === 'Deployment' || kind === 'StatefulSet') {
    const podSpec = asRecord(asRecord(spec.template).spec);
    const serviceAccount = podSpec.serviceAccountName;
    if (typeof serviceAccount === 'string' && serviceAccount !== 'default') {
      ref(
        { name: serviceAccount, group: '', kind: 'ServiceAccount' },
        'spec.template.spec.serviceAccountName',
      );
    }
  }
  return refs;
}

/** References that do not resolve to an object in `objects`. */
export function checkReferences(
  objects: LocatedObject[],
): Array<ManifestIssue & { file: string; object: string }> {
  const known = new Set<string>();
  for (const { obj } of objects) {
    const metadata = asRecord(obj.metadata);
    const namespace = CLUSTER_SCOPED.has(String(obj.kind))
      ? ''
      : String(metadata.namespace ?? '');
    known.add(
      key(
        groupOf(obj.apiVersion),
        String(obj.kind),
        namespace,
        String(metadata.name),
      ),
    );
    // The AI Gateway controller generates an HTTPRoute of the same name for every AIGatewayRoute;
    // policies target that generated route.
    if (obj.kind === 'AIGatewayRoute') {
      known.add(
        key(
          'gateway.networking.k8s.io',
          'HTTPRoute',
          namespace,
          String(metadata.name),
        ),
      );
    }
  }
  const issues: Array<ManifestIssue & { file: string; object: string }> = [];
  for (const { file, obj } of objects) {
    const metadata = asRecord(obj.metadata);
    const objectName = `${obj.kind} ${
      metadata.namespace ? `${metadata.namespace}/` : ''
    }${metadata.name}`;
    for (const r of referencesOf(obj)) {
      if (!known.has(key(r.group, r.kind, r.namespace, r.name))) {
        issues.push({
          file,
          object: objectName,
          reason: 'ReferenceNotFound',
          field: r.field,
          message: `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}${
            r.group ? ` (${r.group})` : ''
          } is not defined in the manifests`,
        });
      }
    }
  }
  return issues;
}
