import { randomUUID } from 'node:crypto';
import { kubeTimestamp } from '../apply/trackedFields';
import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject } from '../store/types';
import { ResourceKind } from './resourceRegistry';

/**
 * Server-maintained parts of an object's life: system metadata, generation,
 * status handling for kinds with a status subresource, and the built-in
 * kinds' own normalisation.
 */

const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `generateName` plus 5 random characters, as the API server makes them. */
export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix +=
      GENERATE_NAME_ALPHABET[
        Math.floor(Math.random() * GENERATE_NAME_ALPHABET.length)
      ];
  }
  return `${prefix}${suffix}`;
}

/** Fields a client may not set; they are taken from the stored object (or fresh on create). */
export function setSystemMetadata(
  object: KubeObject,
  previous: KubeObject | undefined,
) {
  const meta = object.metadata;
  if (previous) {
    const old = previous.metadata;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.generation = old.generation;
    meta.resourceVersion = old.resourceVersion;
    if (old.deletionTimestamp) {
      meta.deletionTimestamp = old.deletionTimestamp;
      meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
    } else {
      delete meta.deletionTimestamp;
      delete meta.deletionGracePeriodSeconds;
    }
  } else {
    meta.uid = randomUUID();
    meta.creationTimestamp = kubeTimestamp();
    meta.generation = 1;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
  }
}

/** Everything that counts as the object's desired state (for `generation`). */
function desiredState(
  object: KubeObject,
  hasStatusSubresource: boolean,
): string {
  const { metadata, status, apiVersion, kind, ...rest } = object;
  return JSON.stringify(hasStatusSubresource ? rest : { ...rest, status });
}

/** Bumps `generation` when the desired state changed. */
export function updateGeneration(
  object: KubeObject,
  previous: KubeObject,
  hasStatusSubresource: boolean,
) {
  const changed =
    desiredState(object, hasStatusSubresource) !==
    desiredState(previous, hasStatusSubresource);
  object.metadata.generation =
    (previous.metadata.generation ?? 1) + (changed ? 1 : 0);
}

/** The object without what changes on every write, to detect no-op writes. */
function comparable(object: KubeObject): string {
  const { resourceVersion, managedFields, ...meta } = object.metadata;
  const owners = (managedFields ?? []).map(({ time, ...entry }) => entry);
  return JSON.stringify({
    ...object,
    metadata: { ...meta, managedFields: owners },
  });
}

export function isNoOpWrite(object: KubeObject, previous: KubeObject): boolean {
  return comparable(object) === comparable(previous);
}

/** Kind-specific normalisation of core kinds (what their registry strategies do). */
export function normalizeBuiltin(
  kind: ResourceKind,
  object: KubeObject,
  isCreate: boolean,
) {
  if (kind.group !== '') return;
  if (kind.kind === 'Secret') {
    // stringData is write-only: merged into data, base64-encoded.
    if (isPlainObject(object.stringData)) {
      const data = isPlainObject(object.data) ? object.data : {};
      for (const [key, value] of Object.entries(object.stringData)) {
        data[key] = Buffer.from(String(value), 'utf8').toString('base64');
      }
      object.data = data;
    }
    delete object.stringData;
    object.type ??= 'Opaque';
  }
  if (kind.kind === 'Service' && isCreate && isPlainObject(object.spec)) {
    defaultServiceSpec(object.spec);
  }
  if (kind.kind === 'Namespace' && isCreate) {
    object.spec = {
      finalizers: ['kubernetes'],
      ...(isPlainObject(object.spec) ? object.spec : {}),
    };
    object.status = { phase: 'Active' };
    object.metadata.labels = {
      ...object.metadata.labels,
      'kubernetes.io/metadata.name': object.metadata.name!,
    };
  }
}

/**
 * What the API server fills into a new Service: `type: ClusterIP`, `sessionAffinity: None`,
 * port protocol TCP and targetPort = port (k8s pkg/apis/core/v1/defaults.go SetDefaults_Service),
 * and a cluster IP from the service CIDR for ClusterIP Services (the sandbox draws it from
 * 10.96.0.0/16; nothing routes to it).
 */
function defaultServiceSpec(spec: Record<string, unknown>) {
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  for (const port of ports.filter(isPlainObject)) {
    port.protocol ??= 'TCP';
    if (spec.type !== 'ExternalName') port.targetPort ??= port.port;
  }
  if (spec.type === 'ClusterIP' && spec.clusterIP === undefined) {
    const octet = () => Math.floor(Math.random() * 254) + 1;
    spec.clusterIP = `10.96.${octet()}.${octet()}`;
    spec.clusterIPs = [spec.clusterIP];
  }
}
