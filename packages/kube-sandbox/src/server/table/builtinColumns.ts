import {
  clusterRoleBindingTable,
  controllerRevisionTable,
  endpointSliceTable,
  endpointsTable,
  eventsV1Table,
  ingressClassTable,
  leaseTable,
  networkPolicyTable,
  podDisruptionBudgetTable,
  replicationControllerTable,
  roleBindingTable,
} from './clusterTables';
import {
  configMapTable,
  eventTable,
  ingressTable,
  namespaceTable,
  resourceQuotaTable,
  secretTable,
  serviceAccountTable,
  serviceTable,
} from './coreTables';
import { podTable } from './podTable';
import {
  nodeTable,
  persistentVolumeClaimTable,
  persistentVolumeTable,
} from './storageNodeTables';
import {
  column,
  CREATION_TIMESTAMP_DESCRIPTION,
  nameColumn,
  TableConvertor,
} from './tableTypes';
import {
  cronJobTable,
  daemonSetTable,
  deploymentTable,
  horizontalPodAutoscalerTable,
  jobTable,
  replicaSetTable,
  statefulSetTable,
} from './workloadTables';

/**
 * The table convertors of built-in kinds, keyed by `<group>/<Kind>` (`''`
 * for the core group): kubernetes pkg/printers/internalversion/printers.go
 * `AddHandlers` (v1.32). The printers work on the internal types, so one
 * entry serves every version of a kind (autoscaling/v1 and v2 HPAs alike).
 * Kinds without an entry get {@link defaultTableConvertor}.
 */
const BUILTIN_TABLES: Record<string, TableConvertor> = {
  '/Namespace': namespaceTable,
  '/Secret': secretTable,
  '/ConfigMap': configMapTable,
  '/ServiceAccount': serviceAccountTable,
  '/Service': serviceTable,
  '/Pod': podTable,
  '/Event': eventTable,
  '/ResourceQuota': resourceQuotaTable,
  'apps/Deployment': deploymentTable,
  'apps/ReplicaSet': replicaSetTable,
  'apps/StatefulSet': statefulSetTable,
  'apps/DaemonSet': daemonSetTable,
  'batch/Job': jobTable,
  'batch/CronJob': cronJobTable,
  'autoscaling/HorizontalPodAutoscaler': horizontalPodAutoscalerTable,
  'networking.k8s.io/Ingress': ingressTable,
  '/ReplicationController': replicationControllerTable,
  '/Endpoints': endpointsTable,
  'apps/ControllerRevision': controllerRevisionTable,
  'discovery.k8s.io/EndpointSlice': endpointSliceTable,
  'networking.k8s.io/IngressClass': ingressClassTable,
  'networking.k8s.io/NetworkPolicy': networkPolicyTable,
  'policy/PodDisruptionBudget': podDisruptionBudgetTable,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingTable,
  'rbac.authorization.k8s.io/ClusterRoleBinding': clusterRoleBindingTable,
  'coordination.k8s.io/Lease': leaseTable,
  'events.k8s.io/Event': eventsV1Table,
  '/Node': nodeTable,
  '/PersistentVolume': persistentVolumeTable,
  '/PersistentVolumeClaim': persistentVolumeClaimTable,
  // Role, ClusterRole and LimitRange have no printer upstream either: Name and Created At.
};

export function builtinTableConvertor(
  group: string,
  kind: string,
): TableConvertor | undefined {
  return BUILTIN_TABLES[`${group}/${kind}`];
}

/**
 * What a built-in kind without a printer is served with: `Name` and
 * `Created At` (an RFC 3339 date), k8s.io/apiserver pkg/registry/rest/table.go
 * `defaultTableConvertor` (v0.32). kubectl prints e.g. `NAME CREATED AT` for
 * LimitRanges.
 */
export const defaultTableConvertor: TableConvertor = {
  columns: [
    nameColumn(),
    column('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION),
  ],
  row(object) {
    const created = object.metadata.creationTimestamp;
    const time = typeof created === 'string' ? Date.parse(created) : NaN;
    return {
      cells: [
        object.metadata.name ?? '',
        // Go formats the zero time as 0001-01-01T00:00:00Z.
        Number.isNaN(time)
          ? '0001-01-01T00:00:00Z'
          : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ],
    };
  },
};
