// The local "an apply would change nothing" check against the sandbox's server-side apply: whenever
// it says so, a server-side dry run must plan the object as unchanged; it may say "don't know"
// (false) more often, never wrongly "unchanged".
import type { KubeSandbox } from '@internal/kube-sandbox';
import { sandboxWithClients } from '../__testUtils__';
import {
  ClusterClient,
  KINDS,
  KubeObject,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { applyChangesNothing } from './applyChangesNothing';
import { planChanges } from './planChanges';

jest.setTimeout(60_000);

const PORTAL = 'inference-portal';

const policy = (
  limits: { requests: number; unit: string }[],
  extra: Record<string, unknown> = {},
): KubeObject => ({
  ...KINDS.backendTrafficPolicy,
  metadata: {
    name: 'm-rate-limits',
    namespace: 'checks',
    labels: { 'app.kubernetes.io/managed-by': 'inference-portal' },
  },
  spec: {
    targetRefs: [
      { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'm' },
    ],
    rateLimit: {
      type: 'Global',
      global: {
        rules: limits.map(limit => ({
          clientSelectors: [
            { headers: [{ name: 'x-api-key-id', type: 'Distinct' }] },
          ],
          limit,
        })),
      },
    },
    ...extra,
  },
});

describe('applyChangesNothing', () => {
  let sandbox: KubeSandbox;
  let portal: ClusterClient;
  let someoneElse: ClusterClient;

  beforeAll(async () => {
    let clients;
    ({ sandbox, clients } = await sandboxWithClients('checks', [
      PORTAL,
      'kubectl',
    ] as const));
    portal = clients[PORTAL];
    someoneElse = clients.kubectl;
  });
  afterAll(() => sandbox?.close());

  const live = async () =>
    (await portal.get<KubeObject>({
      ...KINDS.backendTrafficPolicy,
      namespace: 'checks',
      name: 'm-rate-limits',
    }))!;

  /** The local answer, and what a server-side dry run plans. */
  async function check(desired: KubeObject) {
    const current = await live();
    const local = applyChangesNothing(current, desired, PORTAL);
    const projected = await portal.apply(desired, {
      dryRun: true,
      force: true,
    });
    const [planned] = planChanges([current], [projected]);
    return { local, server: planned.action };
  }

  const oneLimit = [{ requests: 60, unit: 'Minute' }];
  const twoLimits = [...oneLimit, { requests: 3600, unit: 'Hour' }];

  beforeEach(async () => {
    await portal.delete({
      ...KINDS.backendTrafficPolicy,
      namespace: 'checks',
      name: 'm-rate-limits',
    });
    await portal.apply(policy(twoLimits), { force: true });
  });

  it('proves an identical apply unchanged', async () => {
    expect(await check(policy(twoLimits))).toEqual({
      local: true,
      server: 'unchanged',
    });
  });

  it('does not prove a changed value', async () => {
    expect(
      await check(policy([{ requests: 120, unit: 'Minute' }, twoLimits[1]])),
    ).toEqual({ local: false, server: 'update' });
  });

  it('does not prove an apply that drops a field the portal set (apply removes it)', async () => {
    await portal.apply(policy(twoLimits, { useClientProtocol: true }), {
      force: true,
    });
    expect(await check(policy(twoLimits))).toEqual({
      local: false,
      server: 'update',
    });
  });

  it('does not prove an object whose portal-owned value someone else changed', async () => {
    await someoneElse.apply(policy([{ requests: 5, unit: 'Minute' }]), {
      force: true,
    });
    const result = await check(policy(twoLimits));
    expect(result.local).toBe(false);
    expect(result.server).toBe('update');
  });

  it('proves unchanged despite a label someone else added (apply leaves it alone)', async () => {
    await someoneElse.apply(
      {
        ...KINDS.backendTrafficPolicy,
        metadata: {
          name: 'm-rate-limits',
          namespace: 'checks',
          labels: { team: 'x' },
        },
      },
      { force: true },
    );
    expect(await check(policy(twoLimits))).toEqual({
      local: true,
      server: 'unchanged',
    });
  });

  it('proves nothing without the portal’s managedFields entry', async () => {
    const current = await live();
    const stripped = {
      ...current,
      metadata: { ...current.metadata, managedFields: undefined },
    };
    expect(applyChangesNothing(stripped, policy(twoLimits), PORTAL)).toBe(
      false,
    );
    expect(applyChangesNothing(current, policy(twoLimits), 'another')).toBe(
      false,
    );
  });
});
