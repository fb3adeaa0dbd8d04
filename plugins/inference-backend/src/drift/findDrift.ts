import type {
  DriftedField,
  DriftedObject,
  FieldChange,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterClient,
  KINDS,
  KubeObject,
  ROUTE_KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { HIDDEN, planChanges } from '../publication/planChanges';
import { managerOfField, otherManagers } from './fieldManagers';
import { weakensGuard } from './guards';

const identity = (o: KubeObject) =>
  `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * Keys in the live Secret that the published one does not have. Server-side apply leaves fields
 * other managers own alone, so a key added by hand never shows in a diff against an apply: it is
 * looked for on its own.
 */
function addedSecretKeys(live: KubeObject, desired: KubeObject): FieldChange[] {
  if (live.kind !== KINDS.secret.kind) return [];
  const published = new Set(
    Object.keys((desired.data as Record<string, string>) ?? {}),
  );
  return Object.keys((live.data as Record<string, string>) ?? {})
    .filter(id => !published.has(id))
    .map(id => ({ path: `data[${JSON.stringify(id)}]`, after: HIDDEN }));
}

/** A FieldChange of "applying the published object changes live" turned round: published before, live after. */
const asDrift = (change: FieldChange): FieldChange => ({
  path: change.path,
  ...(change.after !== undefined ? { before: change.after } : {}),
  ...(change.before !== undefined ? { after: change.before } : {}),
});

/**
 * The fields of `live` that differ from what the portal published. First compared locally against
 * the published object as an apply patch (fields only the cluster has, such as defaults and other
 * managers' fields, do not count); only when that finds a difference is the server asked for the
 * exact answer with a server-side dry-run apply, which resolves defaults and value normalisation
 * the way `kubectl diff` does. A publication in sync therefore costs no API call beyond the lists.
 */
async function changedFields(
  cluster: ClusterClient,
  live: KubeObject,
  desired: KubeObject,
): Promise<FieldChange[]> {
  const added = addedSecretKeys(live, desired);
  const [local] = planChanges([live], [desired], { desired: 'applied' });
  if (local.action === 'unchanged') return added;
  const projected = await cluster.apply(desired, { dryRun: true, force: true });
  const [exact] = planChanges([live], [projected]);
  return [...exact.fieldChanges.map(asDrift), ...added];
}

function drifted(
  object: KubeObject,
  change: DriftedObject['change'],
  fields: DriftedField[],
  managers: string[],
): DriftedObject {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name,
    change,
    fields,
    weakensGuard: false,
    managers,
  };
}

/**
 * How a publication's live objects (listed by its labels, controller-generated ones left out)
 * differ from the published ones: missing, extra, and changed objects with a per-field diff naming
 * the field manager of each live value. Fields other managers own and the portal does not set are
 * not drift. Secret values are never in the result.
 */
export async function findDrift(input: {
  cluster: ClusterClient;
  live: KubeObject[];
  desired: KubeObject[];
}): Promise<DriftedObject[]> {
  const { cluster, live, desired } = input;
  const self = cluster.fieldManager;
  const liveById = new Map(live.map(o => [identity(o), o]));
  const desiredIds = new Set(desired.map(identity));
  const routeExists = live.some(o => ROUTE_KINDS.has(o.kind));

  const found = await Promise.all(
    desired.map(async (wanted): Promise<DriftedObject | undefined> => {
      const current = liveById.get(identity(wanted));
      if (!current) return drifted(wanted, 'missing', [], []);
      const fields = await changedFields(cluster, current, wanted);
      if (fields.length === 0) return undefined;
      return drifted(
        wanted,
        'changed',
        fields.map(f => ({
          ...f,
          manager: managerOfField(current, f.path, self),
        })),
        otherManagers(current, self),
      );
    }),
  );
  const extra = live
    .filter(o => !desiredIds.has(identity(o)))
    .map(o => drifted(o, 'extra', [], otherManagers(o, self)));

  return [
    ...found.filter((d): d is DriftedObject => d !== undefined),
    ...extra,
  ].map(d => ({ ...d, weakensGuard: weakensGuard(d, routeExists) }));
}
