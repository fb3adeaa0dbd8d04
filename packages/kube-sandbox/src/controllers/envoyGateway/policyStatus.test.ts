import { KubeObject } from '../../store/types';
import {
  apply,
  conditionOf,
  eventually,
  pause,
  useControllerSandbox,
} from '../../testUtils/controllerTestKit';

const NS = 'policies';
const EG = 'gateway.envoyproxy.io/v1alpha1';

const cluster = useControllerSandbox(NS);

const route = (name: string): KubeObject => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name, namespace: NS },
  spec: {
    parentRefs: [
      { name: 'ai-gateway', namespace: 'gateways', sectionName: 'https' },
    ],
    rules: [
      {
        backendRefs: [
          { group: 'gateway.envoyproxy.io', kind: 'Backend', name: 'b' },
        ],
      },
    ],
  },
});

const target = (routeName: string) => ({
  targetRefs: [
    { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName },
  ],
});

const securityPolicy = (name: string, routeName: string): KubeObject => ({
  apiVersion: EG,
  kind: 'SecurityPolicy',
  metadata: { name, namespace: NS },
  spec: {
    ...target(routeName),
    apiKeyAuth: {
      credentialRefs: [{ name: 'keys' }],
      extractFrom: [{ headers: ['x-api-key'] }],
    },
  },
});

const trafficPolicy = (name: string, routeName: string): KubeObject => ({
  apiVersion: EG,
  kind: 'BackendTrafficPolicy',
  metadata: { name, namespace: NS },
  spec: { ...target(routeName), timeout: { http: { requestTimeout: '30s' } } },
});

const statusOf = (kind: string, name: string) =>
  cluster.sandbox.store.get(EG, kind, NS, name)?.status as any;

const GATEWAY_ANCESTOR = {
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  name: 'ai-gateway',
  namespace: 'gateways',
  sectionName: 'https',
};

describe('policy status (Envoy Gateway v1.9.0)', () => {
  it('gives policies whose target route is missing no status, and Accepted once it appears', async () => {
    await apply(cluster.request, securityPolicy('auth', 'later'));
    await apply(cluster.request, trafficPolicy('limits', 'later'));
    await pause(300);
    expect(statusOf('SecurityPolicy', 'auth')).toBeUndefined();
    expect(statusOf('BackendTrafficPolicy', 'limits')).toBeUndefined();

    await apply(cluster.request, route('later'));
    for (const kind of ['SecurityPolicy', 'BackendTrafficPolicy']) {
      const name = kind === 'SecurityPolicy' ? 'auth' : 'limits';
      const status = await eventually(() => statusOf(kind, name));
      expect(status.ancestors).toEqual([
        {
          ancestorRef: GATEWAY_ANCESTOR,
          controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
          conditions: [
            expect.objectContaining({
              type: 'Accepted',
              status: 'True',
              reason: 'Accepted',
              message: 'Policy has been accepted.',
              observedGeneration: 1,
            }),
          ],
        },
      ]);
    }
  });

  it('marks a later SecurityPolicy on the same route as Conflicted', async () => {
    await apply(cluster.request, route('shared'));
    await apply(cluster.request, securityPolicy('a-first', 'shared'));
    await apply(cluster.request, securityPolicy('b-second', 'shared'));
    const first = await eventually(() => statusOf('SecurityPolicy', 'a-first'));
    const second = await eventually(() =>
      statusOf('SecurityPolicy', 'b-second'),
    );
    expect(conditionOf(first.ancestors[0], 'Accepted').status).toBe('True');
    expect(conditionOf(second.ancestors[0], 'Accepted')).toMatchObject({
      status: 'False',
      reason: 'Conflicted',
      message:
        'Unable to target HTTPRoute shared, another SecurityPolicy has already attached to it',
    });
  });
});
