import { ownershipLabels } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ClusterClient, KubeObject } from '../cluster/types';
import { KINDS } from '../kinds';
import { isPortalWritten, listPublicationObjects } from './publicationObjects';

const labels = ownershipLabels({ tenant: 'tenant-a', model: 'qwen' });

const aiGatewayRoute: KubeObject = {
  ...KINDS.aiGatewayRoute,
  metadata: { name: 'qwen', namespace: 'tenant-a', labels, uid: 'u-1' },
};
/** What the AI Gateway controller generates: the same name and labels, and it is the controller. */
const generatedHttpRoute: KubeObject = {
  ...KINDS.httpRoute,
  metadata: {
    name: 'qwen',
    namespace: 'tenant-a',
    labels,
    ownerReferences: [
      {
        ...KINDS.aiGatewayRoute,
        name: 'qwen',
        uid: 'u-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
};

describe('listPublicationObjects', () => {
  it("keeps the portal's objects and leaves out those a controller generated from them", async () => {
    const list = jest.fn(async (_apiVersion: string, kind: string) =>
      kind === 'HTTPRoute' ? [generatedHttpRoute] : [aiGatewayRoute],
    );
    const cluster = { list } as unknown as ClusterClient;
    const objects = await listPublicationObjects(
      cluster,
      'tenant-a',
      { tenant: 'tenant-a', model: 'qwen' },
      [KINDS.aiGatewayRoute, KINDS.httpRoute],
    );
    expect(objects.map(o => o.kind)).toEqual(['AIGatewayRoute']);
    expect(list).toHaveBeenCalledWith(
      'gateway.networking.k8s.io/v1',
      'HTTPRoute',
      {
        namespace: 'tenant-a',
        labelSelector: expect.stringContaining(
          'inference.platform.io/model=qwen',
        ),
      },
    );
  });

  it("counts an object as the portal's when an owner is not its controller", () => {
    const referenced = {
      ...generatedHttpRoute,
      metadata: {
        ...generatedHttpRoute.metadata,
        ownerReferences: [
          { ...KINDS.aiGatewayRoute, name: 'qwen', uid: 'u-1' },
        ],
      },
    };
    expect(isPortalWritten(referenced)).toBe(true);
    expect(isPortalWritten(generatedHttpRoute)).toBe(false);
  });
});
