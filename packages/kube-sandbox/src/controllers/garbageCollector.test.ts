import { KubeObject } from '../store/types';
import {
  eventually,
  useControllerSandbox,
} from '../testUtils/controllerTestKit';

const NS = 'gc';
const CONFIGMAPS = `/api/v1/namespaces/${NS}/configmaps`;

const cluster = useControllerSandbox(NS);

async function configMap(
  name: string,
  owners: KubeObject[] = [],
  uids?: string[],
) {
  const ownerReferences = owners.map((owner, i) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: owner.metadata.name,
    uid: uids?.[i] ?? owner.metadata.uid,
  }));
  const response = await cluster.request('POST', CONFIGMAPS, {
    body: { metadata: { name, ...(owners.length ? { ownerReferences } : {}) } },
  });
  return response.body as KubeObject;
}

const stored = (name: string) =>
  cluster.sandbox.store.get('v1', 'ConfigMap', NS, name);
const gone = (name: string) => () => stored(name) ? undefined : true;

describe('garbage collector (background propagation)', () => {
  it('deletes dependents, and their dependents, when the owner is deleted', async () => {
    const parent = await configMap('parent');
    const child = await configMap('child', [parent]);
    await configMap('grandchild', [child]);
    await cluster.request('DELETE', `${CONFIGMAPS}/parent`);
    await eventually(gone('child'));
    await eventually(gone('grandchild'));
    expect(
      cluster.sandbox.audit
        .entries(e => e.actor === 'generic-garbage-collector')
        .map(e => `${e.verb} ${e.name}`),
    ).toEqual(['delete child', 'delete grandchild']);
  });

  it('deletes an object whose owner does not exist', async () => {
    const phantom = { metadata: { name: 'phantom' } } as KubeObject;
    await configMap(
      'orphan',
      [phantom],
      ['00000000-0000-0000-0000-000000000000'],
    );
    await expect(eventually(gone('orphan'))).resolves.toBe(true);
  });

  it('keeps an object with a remaining owner and drops the dangling reference', async () => {
    const kept = await configMap('kept-owner');
    const leaving = await configMap('leaving-owner');
    await configMap('shared', [kept, leaving]);
    await cluster.request('DELETE', `${CONFIGMAPS}/leaving-owner`);
    const shared = await eventually(() => {
      const current = stored('shared');
      return current?.metadata.ownerReferences?.length === 1
        ? current
        : undefined;
    });
    expect(shared.metadata.ownerReferences).toEqual([
      expect.objectContaining({ name: 'kept-owner', uid: kept.metadata.uid }),
    ]);
  });
});
