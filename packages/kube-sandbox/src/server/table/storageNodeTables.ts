import { KubeObject } from '../../store/types';
import { at, list, obj, str } from './cellFormatting';
import { ageColumn, column, nameColumn, TableConvertor } from './tableTypes';
import { objectAge } from './tableShapes';

/**
 * Tables of Nodes, PersistentVolumes and PersistentVolumeClaims, after
 * `printNode`, `printPersistentVolume` and `printPersistentVolumeClaim` of
 * kubernetes pkg/printers/internalversion/printers.go (v1.32) and
 * `GetAccessModesAsString` / `GetPersistentVolume(Claim)Class` of
 * pkg/apis/core/helper.
 */

const MODE_ABBREVIATIONS: Array<[string, string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

function accessModes(modes: unknown): string {
  const present = new Set(list(modes).map(str));
  return MODE_ABBREVIATIONS.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

function storageClass(o: KubeObject): string {
  const annotation = o.metadata.annotations?.[BETA_STORAGE_CLASS];
  if (annotation !== undefined) return annotation;
  return str(at(o, 'spec', 'storageClassName'));
}

const orUnset = (value: unknown) =>
  typeof value === 'string' ? value : '<unset>';

export const persistentVolumeTable: TableConvertor = {
  columns: [
    nameColumn(),
    column(
      'Capacity',
      'string',
      "capacity is the description of the persistent volume's resources and capacity.",
    ),
    column(
      'Access Modes',
      'string',
      'accessModes contains all ways the volume can be mounted.',
    ),
    column(
      'Reclaim Policy',
      'string',
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
    ),
    column(
      'Status',
      'string',
      'phase indicates if a volume is available, bound to a claim, or released by a claim.',
    ),
    column(
      'Claim',
      'string',
      'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
    ),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column(
      'VolumeAttributesClass',
      'string',
      'VolumeAttributesClass of the pv',
    ),
    column(
      'Reason',
      'string',
      'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
    ),
    ageColumn(),
    column(
      'VolumeMode',
      'string',
      'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
      { priority: 1 },
    ),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const claimRef = spec.claimRef ? obj(spec.claimRef) : undefined;
    const phase = o.metadata.deletionTimestamp
      ? 'Terminating'
      : str(at(o, 'status', 'phase'));
    return {
      cells: [
        o.metadata.name ?? '',
        str(obj(spec.capacity).storage) || '0',
        accessModes(spec.accessModes),
        str(spec.persistentVolumeReclaimPolicy),
        phase,
        claimRef ? `${str(claimRef.namespace)}/${str(claimRef.name)}` : '',
        storageClass(o),
        orUnset(spec.volumeAttributesClassName),
        str(at(o, 'status', 'reason')),
        objectAge(o, now),
        orUnset(spec.volumeMode),
      ],
    };
  },
};

export const persistentVolumeClaimTable: TableConvertor = {
  columns: [
    nameColumn(),
    column(
      'Status',
      'string',
      'phase represents the current phase of PersistentVolumeClaim.',
    ),
    column(
      'Volume',
      'string',
      'volumeName is the binding reference to the PersistentVolume backing this claim.',
    ),
    column(
      'Capacity',
      'string',
      'capacity represents the actual resources of the underlying volume.',
    ),
    column(
      'Access Modes',
      'string',
      'accessModes contains the actual access modes the volume backing the PVC has.',
    ),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column(
      'VolumeAttributesClass',
      'string',
      'VolumeAttributesClass of the pvc',
    ),
    ageColumn(),
    column(
      'VolumeMode',
      'string',
      'volumeMode defines what type of volume is required by the claim.',
      { priority: 1 },
    ),
  ],
  row(o, now) {
    const spec = obj(o.spec);
    const bound = str(spec.volumeName) !== '';
    return {
      cells: [
        o.metadata.name ?? '',
        o.metadata.deletionTimestamp
          ? 'Terminating'
          : str(at(o, 'status', 'phase')),
        str(spec.volumeName),
        bound ? str(at(o, 'status', 'capacity', 'storage')) || '0' : '',
        bound ? accessModes(at(o, 'status', 'accessModes')) : '',
        storageClass(o),
        orUnset(spec.volumeAttributesClassName),
        objectAge(o, now),
        orUnset(spec.volumeMode),
      ],
    };
  },
};

const NODE_ROLE_PREFIX = 'node-role.kubernetes.io/';

function nodeAddress(o: KubeObject, type: string): string {
  const address = list(at(o, 'status', 'addresses'))
    .map(obj)
    .find(a => a.type === type);
  return address ? str(address.address) : '<none>';
}

export const nodeTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column(
      'Internal-IP',
      'string',
      'List of addresses reachable to the node.',
      { priority: 1 },
    ),
    column(
      'External-IP',
      'string',
      'List of addresses reachable to the node.',
      { priority: 1 },
    ),
    column(
      'OS-Image',
      'string',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      { priority: 1 },
    ),
    column(
      'Kernel-Version',
      'string',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      { priority: 1 },
    ),
    column(
      'Container-Runtime',
      'string',
      'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).',
      { priority: 1 },
    ),
  ],
  row(o, now) {
    const ready = list(at(o, 'status', 'conditions'))
      .map(obj)
      .find(c => c.type === 'Ready');
    const status: string[] = [];
    if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
    else status.push('Unknown');
    if (at(o, 'spec', 'unschedulable') === true)
      status.push('SchedulingDisabled');
    const roles = new Set<string>();
    for (const [key, value] of Object.entries(o.metadata.labels ?? {})) {
      if (
        key.startsWith(NODE_ROLE_PREFIX) &&
        key.length > NODE_ROLE_PREFIX.length
      ) {
        roles.add(key.slice(NODE_ROLE_PREFIX.length));
      } else if (key === 'kubernetes.io/role' && value) {
        roles.add(value);
      }
    }
    const info = obj(at(o, 'status', 'nodeInfo'));
    return {
      cells: [
        o.metadata.name ?? '',
        status.join(','),
        [...roles].sort().join(',') || '<none>',
        objectAge(o, now),
        str(info.kubeletVersion),
        nodeAddress(o, 'InternalIP'),
        nodeAddress(o, 'ExternalIP'),
        str(info.osImage) || '<unknown>',
        str(info.kernelVersion) || '<unknown>',
        str(info.containerRuntimeVersion) || '<unknown>',
      ],
    };
  },
};
