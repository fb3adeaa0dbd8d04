import { randomBytes } from 'node:crypto';
import type { DriftedObject } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterClient,
  KINDS,
  KubeObject,
} from '@inference-in-a-box/backstage-plugin-inference-node';

const sameObject = (o: KubeObject, d: Pick<DriftedObject, 'kind' | 'name'>) =>
  o.kind === d.kind && o.metadata.name === d.name;

/**
 * Takes sole ownership of the keys someone else added to the Secret (or whose value they changed),
 * so that the next apply of the published Secret, which does not list them, removes them.
 * Server-side apply removes only fields the applying manager owned and no longer lists, and
 * applying a field with the value it already has makes its ownership shared, not exclusive
 * (structured-merge-diff `merge/update.go`: a conflict, which `force` resolves by taking the
 * field away from the other manager, arises only where the values differ). So the claim writes a
 * fresh random value, which no client knows, for the moment until the caller's apply drops it.
 */
export async function claimAddedSecretKeys(
  cluster: ClusterClient,
  live: KubeObject[],
  desired: KubeObject[],
): Promise<void> {
  const want = desired.find(o => o.kind === KINDS.secret.kind);
  const have =
    want &&
    live.find(o =>
      sameObject(o, { kind: want.kind, name: want.metadata.name }),
    );
  const published = (want?.data ?? {}) as Record<string, string>;
  const current = (have?.data ?? {}) as Record<string, string>;
  const added = Object.keys(current).filter(
    id => published[id] !== current[id],
  );
  if (!want || added.length === 0) return;
  const claimed = Object.fromEntries(
    added.map(id => [id, randomBytes(32).toString('base64')]),
  );
  await cluster.apply(
    { ...want, data: { ...published, ...claimed } },
    { force: true },
  );
}

/**
 * Puts the published version of the given drifted objects back: missing ones are created, changed
 * ones re-applied with force (the portal takes its fields back from whoever changed them).
 */
export async function restoreObjects(
  cluster: ClusterClient,
  live: KubeObject[],
  desired: KubeObject[],
  objects: DriftedObject[],
): Promise<void> {
  const wanted = desired.filter(o => objects.some(d => sameObject(o, d)));
  if (wanted.some(o => o.kind === KINDS.secret.kind))
    await claimAddedSecretKeys(cluster, live, wanted);
  await Promise.all(wanted.map(o => cluster.apply(o, { force: true })));
}
