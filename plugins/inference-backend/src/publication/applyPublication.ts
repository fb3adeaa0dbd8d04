import type { PlannedChange } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterClient,
  describeRef,
  KubeObject,
  ObjectRef,
  refOf,
  ROUTE_KINDS,
  withMessage,
} from '@inference-in-a-box/backstage-plugin-inference-node';

const identity = (ref: ObjectRef) => `${ref.kind}/${ref.namespace}/${ref.name}`;

/** An object's key in the maps of a plan and of {@link applyPublication}'s result. */
export const objectKey = (object: KubeObject) => identity(refOf(object));

/** What the cluster keeps about an object that must not be sent back in an apply. */
function asApplyable(object: KubeObject): KubeObject {
  const {
    managedFields: _managedFields,
    resourceVersion: _resourceVersion,
    uid: _uid,
    generation: _generation,
    creationTimestamp: _creationTimestamp,
    ...metadata
  } = object.metadata;
  const { status: _status, ...rest } = object;
  return { ...rest, metadata } as KubeObject;
}

function failureMessage(
  failed: ObjectRef,
  cause: Error,
  rolledBack: boolean,
): string {
  return `Publishing failed at ${describeRef(failed)}: ${cause.message}. ${
    rolledBack
      ? 'Every object changed by this attempt was restored; nothing is half published.'
      : 'Some objects could not be restored; publishing again converges.'
  }`;
}

/**
 * Applies a publication plan in ordering groups, each group's writes sent concurrently and the next
 * group started only when every write of the previous one succeeded:
 * 1. the guards (Secret, policies, backends), so that nothing is reachable before it is guarded;
 * 2. the routes;
 * 3. pruning what is no longer in the set: routes first, then the rest, so that a route never
 *    outlives the guards it relied on.
 * Objects the plan marks unchanged are not sent at all, so re-publishing the same input changes
 * nothing, not even resourceVersions. Within a group the writes are independent objects (no write
 * reads another's result), so their order does not matter; concurrency only stops each write
 * waiting for the previous one's round trip.
 *
 * If any write fails, the rest of its group still settles (so that every write that landed is
 * known), no later group starts, and every object this attempt changed is put back as it was
 * (re-applied with the portal's field manager, or deleted when it did not exist before), the failed
 * ones included, in reverse order of the groups (routes before the guards they rely on). The
 * failure names the first failed object. Rollback is best effort: if it fails too the error says
 * so, and a retry converges because publishing is a declarative apply of the whole set.
 *
 * Answers what the cluster stored for each object applied, by {@link objectKey}.
 */
export async function applyPublication(
  cluster: ClusterClient,
  current: KubeObject[],
  desired: KubeObject[],
  plan: PlannedChange[],
): Promise<Map<string, KubeObject>> {
  const before = new Map(current.map(o => [identity(refOf(o)), o]));
  const action = new Map(plan.map(c => [identity(c), c.action]));
  const toApply = desired.filter(
    o => action.get(identity(refOf(o))) !== 'unchanged',
  );
  const toDelete = current.filter(
    o => action.get(identity(refOf(o))) === 'delete',
  );
  const isRoute = (o: KubeObject) => ROUTE_KINDS.has(o.kind);
  const apply = (o: KubeObject) => cluster.apply(o, { force: true });
  const remove = (o: KubeObject) => cluster.delete(refOf(o));
  const groups: [KubeObject[], (o: KubeObject) => Promise<unknown>][] = [
    [toApply.filter(o => !isRoute(o)), apply],
    [toApply.filter(isRoute), apply],
    [toDelete.filter(isRoute), remove],
    [toDelete.filter(o => !isRoute(o)), remove],
  ];
  /** What this attempt may have changed, in the order it was sent (failed writes included). */
  const touched: ObjectRef[] = [];
  const stored = new Map<string, KubeObject>();

  for (const [objects, write] of groups) {
    if (objects.length === 0) continue;
    const results = await Promise.allSettled(objects.map(o => write(o)));
    // A failed write may still have landed (a timeout or a dropped connection says nothing about
    // what the server did), so every object of the group is restored, not only those that succeeded.
    touched.push(...objects.map(refOf));
    const failure = results.findIndex(r => r.status === 'rejected');
    if (failure < 0) {
      results.forEach((r, i) => {
        const value = (r as PromiseFulfilledResult<unknown>).value;
        if (value && typeof value === 'object')
          stored.set(objectKey(objects[i]), value as KubeObject);
      });
      continue;
    }
    const failed = refOf(objects[failure]);
    const cause = (results[failure] as PromiseRejectedResult).reason as Error;
    let rolledBack = true;
    for (const ref of touched.reverse()) {
      const previous = before.get(identity(ref));
      try {
        if (previous)
          await cluster.apply(asApplyable(previous), { force: true });
        else await cluster.delete(ref);
      } catch {
        rolledBack = false;
      }
    }
    // Same error type as the cause, so the HTTP status still says what went wrong (422, 503, ...).
    throw withMessage(cause, failureMessage(failed, cause, rolledBack));
  }
  return stored;
}
