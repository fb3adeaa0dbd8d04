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
 * Applies a publication plan: guards first (Secret, policies) concurrently, then the routes, then
 * prunes what is no longer in the set (routes first). Objects the plan marks unchanged are not
 * sent at all, so re-publishing the same input changes nothing, not even resourceVersions.
 *
 * If any write fails, every object this attempt changed is put back as it was (re-applied with
 * the portal's field manager, or deleted when it did not exist before), and the failure names
 * the object. Rollback is best effort: if it fails too the error says so, and a retry converges
 * because publishing is a declarative apply of the whole set.
 */
export async function applyPublication(
  cluster: ClusterClient,
  current: KubeObject[],
  desired: KubeObject[],
  plan: PlannedChange[],
): Promise<void> {
  const before = new Map(current.map(o => [identity(refOf(o)), o]));
  const action = new Map(plan.map(c => [identity(c), c.action]));
  const toApply = desired.filter(
    o => action.get(identity(refOf(o))) !== 'unchanged',
  );
  const toDelete = current.filter(
    o => action.get(identity(refOf(o))) === 'delete',
  );
  const done: ObjectRef[] = [];

  const run = async (
    objects: KubeObject[],
    write: (o: KubeObject) => Promise<unknown>,
  ) => {
    const results = await Promise.allSettled(
      objects.map(async o => {
        await write(o);
        done.push(refOf(o));
      }),
    );
    const failure = results.findIndex(r => r.status === 'rejected');
    if (failure >= 0) {
      throw Object.assign(new Error('apply failed'), {
        failed: refOf(objects[failure]),
        cause: (results[failure] as PromiseRejectedResult).reason as Error,
      });
    }
  };

  try {
    await run(
      toApply.filter(o => !ROUTE_KINDS.has(o.kind)),
      o => cluster.apply(o, { force: true }),
    );
    await run(
      toApply.filter(o => ROUTE_KINDS.has(o.kind)),
      o => cluster.apply(o, { force: true }),
    );
    const deletions = [...toDelete].sort(
      (a, b) =>
        Number(ROUTE_KINDS.has(b.kind)) - Number(ROUTE_KINDS.has(a.kind)),
    );
    await run(deletions, o => cluster.delete(refOf(o)));
  } catch (error) {
    const { failed, cause } = error as { failed: ObjectRef; cause: Error };
    let rolledBack = true;
    // The failed write may still have landed (a timeout or a dropped connection says nothing about
    // what the server did), so it is restored too.
    for (const ref of [failed, ...done.reverse()]) {
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
}
