import { KubeObject } from '../../store/types';
import { at, formatLabels, int, list, obj, str } from './cellFormatting';
import { translateTimestampSince } from './humanDuration';
import {
  ageColumn,
  column,
  NAME_DESCRIPTION,
  nameColumn,
  TableConvertor,
} from './tableTypes';
import { namedAgedTable, objectAge } from './tableShapes';

/**
 * Tables of the core and networking kinds, after the column definitions and
 * `printNamespace`, `printSecret`, `printConfigMap`, `printServiceAccount`,
 * `printService`, `printEvent`, `printResourceQuota` and `printIngress` of
 * kubernetes pkg/printers/internalversion/printers.go (v1.32).
 */

const count = (value: unknown) => Object.keys(obj(value)).length;

export const namespaceTable = namedAgedTable(
  [column('Status', 'string', 'The status of the namespace')],
  o => [str(at(o, 'status', 'phase'))],
);

export const secretTable = namedAgedTable(
  [
    column(
      'Type',
      'string',
      'Used to facilitate programmatic handling of secret data.',
    ),
    column('Data', 'string', 'Data contains the secret data.'),
  ],
  o => [str(o.type), count(o.data)],
);

export const configMapTable = namedAgedTable(
  [column('Data', 'string', 'Data contains the configuration data.')],
  o => [count(o.data) + count(o.binaryData)],
);

export const serviceAccountTable = namedAgedTable(
  [
    column(
      'Secrets',
      'string',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
  ],
  o => [list(o.secrets).length],
);

/** `loadBalancerStatusStringer` (wide): distinct IPs or hostnames, sorted. */
function loadBalancerAddresses(status: unknown): string {
  const addresses = new Set<string>();
  for (const raw of list(obj(status).ingress)) {
    const ingress = obj(raw);
    if (str(ingress.ip)) addresses.add(str(ingress.ip));
    else if (str(ingress.hostname)) addresses.add(str(ingress.hostname));
  }
  return [...addresses].sort().join(',');
}

/** `getServiceExternalIP`. */
function serviceExternalIP(o: KubeObject): string {
  const spec = obj(o.spec);
  const externalIPs = list(spec.externalIPs).map(str);
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(at(o, 'status', 'loadBalancer'));
      if (externalIPs.length) {
        return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      }
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

/** `makePortString`: `port/protocol` or `port:nodePort/protocol`, comma-separated. */
function servicePorts(ports: unknown): string {
  const text = list(ports)
    .map(obj)
    .map(p => {
      const protocol = str(p.protocol);
      return int(p.nodePort) > 0
        ? `${int(p.port)}:${int(p.nodePort)}/${protocol}`
        : `${int(p.port)}/${protocol}`;
    })
    .join(',');
  return text || '<none>';
}

export const serviceTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column(
      'Cluster-IP',
      'string',
      'clusterIP is the IP address of the service and is usually assigned randomly.',
    ),
    column(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    column(
      'Port(s)',
      'string',
      'The list of ports that are exposed by this service.',
    ),
    ageColumn(),
    column(
      'Selector',
      'string',
      'Route service traffic to pods with label keys and values matching this selector.',
      { priority: 1 },
    ),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    // The internal Service always has clusterIPs (defaulted from clusterIP).
    const clusterIPs = list(spec.clusterIPs).map(str);
    const clusterIP = clusterIPs[0] || str(spec.clusterIP) || '<none>';
    return {
      cells: [
        o.metadata.name ?? '',
        str(spec.type),
        clusterIP,
        serviceExternalIP(o),
        servicePorts(spec.ports),
        objectAge(o, now),
        formatLabels(spec.selector),
      ],
    };
  },
};

/** `formatEventSource`: component (or reporting controller), then host (or instance). */
function eventSource(o: KubeObject): string {
  const source = obj(o.source);
  const component = str(source.component) || str(o.reportingComponent);
  const instance = str(source.host) || str(o.reportingInstance);
  if (!component && !instance) return '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventTable: TableConvertor = {
  columns: [
    column(
      'Last Seen',
      'string',
      'The time at which the most recent occurrence of this event was recorded.',
    ),
    column(
      'Type',
      'string',
      'Type of this event (Normal, Warning), new types could be added in the future',
    ),
    column(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column('Object', 'string', 'The object that this event is about.'),
    column(
      'Subobject',
      'string',
      'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.',
      { priority: 1 },
    ),
    column(
      'Source',
      'string',
      'The component reporting this event. Should be a short machine understandable string.',
      { priority: 1 },
    ),
    column(
      'Message',
      'string',
      'A human-readable description of the status of this operation.',
    ),
    column(
      'First Seen',
      'string',
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      { priority: 1 },
    ),
    column('Count', 'string', 'The number of times this event has occurred.', {
      priority: 1,
    }),
    column('Name', 'string', NAME_DESCRIPTION, { format: 'name', priority: 1 }),
  ],
  row(o, now) {
    let first = translateTimestampSince(o.firstTimestamp, now);
    if (!o.firstTimestamp) first = translateTimestampSince(o.eventTime, now);
    let last = o.lastTimestamp
      ? translateTimestampSince(o.lastTimestamp, now)
      : first;
    let times = int(o.count);
    const series = o.series ? obj(o.series) : undefined;
    if (series) {
      last = translateTimestampSince(series.lastObservedTime, now);
      times = int(series.count);
    } else if (times === 0) {
      times = 1;
    }
    const involved = obj(o.involvedObject);
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
    return {
      cells: [
        last,
        str(o.type),
        str(o.reason),
        target,
        str(involved.fieldPath),
        eventSource(o),
        str(o.message).trim(),
        first,
        times,
        o.metadata.name ?? '',
      ],
    };
  },
};

/** `printResourceQuota`: `name: used/hard` per resource, `limits.*` in their own column. */
function quotaColumns(o: KubeObject): [string, string] {
  const hard = obj(at(o, 'spec', 'hard'));
  const used = obj(at(o, 'status', 'used'));
  const requests: string[] = [];
  const limits: string[] = [];
  // A missing quantity is the zero Quantity, printed "0".
  const text = (value: unknown) => {
    if (value === undefined) return '0';
    return typeof value === 'number' ? String(value) : str(value);
  };
  for (const name of Object.keys(hard).sort()) {
    const entry = `${name}: ${text(used[name])}/${text(hard[name])}`;
    const pieces = name.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limits : requests).push(
      entry,
    );
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotaTable: TableConvertor = {
  columns: [
    nameColumn(),
    ageColumn(),
    column(
      'Request',
      'string',
      'Request represents a minimum amount of cpu/memory that a container may consume.',
    ),
    column(
      'Limit',
      'string',
      'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
    ),
  ],
  row(o, now) {
    const [requests, limits] = quotaColumns(o);
    return {
      cells: [o.metadata.name ?? '', objectAge(o, now), requests, limits],
    };
  },
};

/** `formatHosts`: the first three rule hosts, `*` when none. */
function ingressHosts(rules: unknown): string {
  const all = list(rules).map(obj);
  const hosts: string[] = [];
  let more = false;
  for (const rule of all) {
    if (hosts.length === 3) more = true;
    if (!more && str(rule.host)) hosts.push(str(rule.host));
  }
  if (hosts.length === 0) return '*';
  const text = hosts.join(',');
  return more ? `${text} + ${all.length - 3} more...` : text;
}

export const ingressTable = namedAgedTable(
  [
    column(
      'Class',
      'string',
      'The name of the IngressClass resource that should be used for additional configuration',
    ),
    column(
      'Hosts',
      'string',
      'Hosts that incoming requests are matched against before the ingress rule',
    ),
    column(
      'Address',
      'string',
      'Address is a list containing ingress points for the load-balancer',
    ),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
  ],
  o => {
    const spec = obj(o.spec);
    return [
      str(spec.ingressClassName) || '<none>',
      ingressHosts(spec.rules),
      loadBalancerAddresses(at(o, 'status', 'loadBalancer')),
      list(spec.tls).length ? '80, 443' : '80',
    ];
  },
);
