import { KubeObject } from '../../store/types';
import {
  at,
  formatLabels,
  formatLabelSelector,
  int,
  list,
  obj,
  str,
} from './cellFormatting';
import { eventTable } from './coreTables';
import { ageColumn, column, nameColumn, TableConvertor } from './tableTypes';
import { namedAgedTable, objectAge, podTemplateTable } from './tableShapes';

/**
 * Tables of the other built-in kinds with a printer, after
 * `printReplicationController`, `printEndpoints`, `printEndpointSlice`,
 * `printIngressClass`, `printNetworkPolicy`, `printPodDisruptionBudget`,
 * `printRoleBinding`, `printClusterRoleBinding`, `printLease` and
 * `printControllerRevision` of kubernetes
 * pkg/printers/internalversion/printers.go (v1.32).
 */

export const replicationControllerTable = podTemplateTable(
  [
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column(
      'Current',
      'integer',
      'Replicas is the most recently observed number of replicas.',
    ),
    column(
      'Ready',
      'integer',
      'The number of ready replicas for this replication controller.',
    ),
  ],
  o => [
    int(at(o, 'spec', 'replicas'), 1),
    int(at(o, 'status', 'replicas')),
    int(at(o, 'status', 'readyReplicas')),
  ],
  {
    selectorDescription:
      'Selector is a label query over pods that should match the Replicas count.',
    // A ReplicationController's selector is a plain label map.
    selector: o => formatLabels(at(o, 'spec', 'selector')),
  },
);

/** At most three items, then "+ N more...". */
function listWithMore(items: string[], total: number, empty: string): string {
  const text = items.slice(0, 3).join(',');
  if (total > 3) return `${text} + ${total - 3} more...`;
  return text || empty;
}

/** `formatEndpoints`: `ip:port` for every port of every subset. */
function formatEndpoints(o: KubeObject): string {
  const subsets = list(o.subsets).map(obj);
  if (subsets.length === 0) return '<none>';
  const items: string[] = [];
  for (const subset of subsets) {
    const addresses = list(subset.addresses).map(a => str(obj(a).ip));
    const ports = list(subset.ports).map(obj);
    if (ports.length === 0) items.push(...addresses);
    for (const port of ports) {
      for (const ip of addresses) {
        items.push(
          ip.includes(':')
            ? `[${ip}]:${int(port.port)}`
            : `${ip}:${int(port.port)}`,
        );
      }
    }
  }
  return listWithMore(items, items.length, '');
}

export const endpointsTable = namedAgedTable(
  [
    column(
      'Endpoints',
      'string',
      'The set of all endpoints is the union of all subsets.',
    ),
  ],
  o => [formatEndpoints(o)],
);

export const endpointSliceTable = namedAgedTable(
  [
    column(
      'AddressType',
      'string',
      'addressType specifies the type of address carried by this EndpointSlice.',
    ),
    column(
      'Ports',
      'string',
      'ports specifies the list of network ports exposed by each endpoint in this slice.',
    ),
    column(
      'Endpoints',
      'string',
      'endpoints is a list of unique endpoints in this slice.',
    ),
  ],
  o => {
    const ports = list(o.ports)
      .map(obj)
      .map(p =>
        typeof p.port === 'number' ? String(p.port) : str(p.name) || '*',
      );
    const addresses = list(o.endpoints).flatMap(e =>
      list(obj(e).addresses).map(str),
    );
    return [
      str(o.addressType),
      listWithMore(ports, ports.length, '<unset>'),
      listWithMore(addresses, addresses.length, '<unset>'),
    ];
  },
);

export const ingressClassTable = namedAgedTable(
  [
    column(
      'Controller',
      'string',
      'Controller that is responsible for handling this class',
    ),
    column(
      'Parameters',
      'string',
      'A reference to a resource with additional parameters',
    ),
  ],
  o => {
    const parameters = at(o, 'spec', 'parameters');
    let text = '<none>';
    if (parameters) {
      const p = obj(parameters);
      text = `${str(p.kind)}${p.apiGroup ? `.${str(p.apiGroup)}` : ''}/${str(
        p.name,
      )}`;
    }
    return [str(at(o, 'spec', 'controller')), text];
  },
);

export const networkPolicyTable = namedAgedTable(
  [
    column(
      'Pod-Selector',
      'string',
      'Selects the pods to which this NetworkPolicy object applies.',
    ),
  ],
  o => [
    // podSelector is not a pointer: a missing one is the empty selector.
    formatLabelSelector(at(o, 'spec', 'podSelector') ?? {}),
  ],
);

/** `IntOrString.String()`. */
const intOrString = (value: unknown) =>
  typeof value === 'number' ? String(value) : str(value);

export const podDisruptionBudgetTable = namedAgedTable(
  [
    column(
      'Min Available',
      'string',
      'The minimum number of pods that must be available.',
    ),
    column(
      'Max Unavailable',
      'string',
      'The maximum number of pods that may be unavailable.',
    ),
    column(
      'Allowed Disruptions',
      'integer',
      'Calculated number of pods that may be disrupted at this time.',
    ),
  ],
  o => {
    const spec = obj(o.spec);
    return [
      spec.minAvailable === undefined ? 'N/A' : intOrString(spec.minAvailable),
      spec.maxUnavailable === undefined
        ? 'N/A'
        : intOrString(spec.maxUnavailable),
      int(at(o, 'status', 'disruptionsAllowed')),
    ];
  },
);

/** `rbac.SubjectsStrings`: users, groups and `namespace/name` of service accounts. */
function subjects(o: KubeObject): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const raw of list(o.subjects)) {
    const s = obj(raw);
    if (s.kind === 'User') users.push(str(s.name));
    else if (s.kind === 'Group') groups.push(str(s.name));
    else if (s.kind === 'ServiceAccount') {
      serviceAccounts.push(`${str(s.namespace)}/${str(s.name)}`);
    }
  }
  return [users.join(', '), groups.join(', '), serviceAccounts.join(', ')];
}

const bindingTable = (kind: string): TableConvertor => ({
  columns: [
    nameColumn(),
    column(
      'Role',
      'string',
      `RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.`,
    ),
    ageColumn(),
    column('Users', 'string', `Users in the ${kind}`, { priority: 1 }),
    column('Groups', 'string', `Groups in the ${kind}`, { priority: 1 }),
    column('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`, {
      priority: 1,
    }),
  ],
  row(o, now) {
    const roleRef = obj(o.roleRef);
    return {
      cells: [
        o.metadata.name ?? '',
        `${str(roleRef.kind)}/${str(roleRef.name)}`,
        objectAge(o, now),
        ...subjects(o),
      ],
    };
  },
});

export const roleBindingTable = bindingTable('roleBinding');
export const clusterRoleBindingTable = bindingTable('clusterRoleBinding');

export const leaseTable = namedAgedTable(
  [
    column(
      'Holder',
      'string',
      'holderIdentity contains the identity of the holder of a current lease.',
    ),
  ],
  o => [str(at(o, 'spec', 'holderIdentity'))],
);

export const controllerRevisionTable = namedAgedTable(
  [
    column('Controller', 'string', 'Controller of the object'),
    column(
      'Revision',
      'string',
      'Revision indicates the revision of the state represented by Data.',
    ),
  ],
  o => {
    const owner = list(o.metadata.ownerReferences)
      .map(obj)
      .find(ref => ref.controller === true);
    let controller = '<none>';
    if (owner) {
      const group = str(owner.apiVersion).includes('/')
        ? str(owner.apiVersion).split('/')[0]
        : '';
      const kind = group ? `${str(owner.kind)}.${group}` : str(owner.kind);
      controller = `${kind.toLowerCase()}/${str(owner.name)}`;
    }
    return [controller, int(o.revision)];
  },
);

/**
 * events.k8s.io/v1 Events are stored as core Events and printed by the
 * same printer: the v1 field names are mapped back to the core ones.
 */
export const eventsV1Table: TableConvertor = {
  columns: eventTable.columns,
  row(o, now) {
    const series = o.series ? obj(o.series) : undefined;
    const core = {
      ...o,
      involvedObject: o.regarding,
      message: o.note,
      firstTimestamp: o.deprecatedFirstTimestamp,
      lastTimestamp: o.deprecatedLastTimestamp,
      count: o.deprecatedCount,
      source: o.deprecatedSource,
      reportingComponent: o.reportingController,
      series: series && {
        count: series.count,
        lastObservedTime: series.lastObservedTime,
      },
    } as KubeObject;
    return eventTable.row(core, now);
  },
};
