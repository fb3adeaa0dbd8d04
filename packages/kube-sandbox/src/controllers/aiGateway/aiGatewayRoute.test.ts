import { KubeObject } from '../../store/types';
import {
  apply,
  conditionOf,
  eventually,
  remove,
  useControllerSandbox,
} from '../../testUtils/controllerTestKit';
import {
  AIGW,
  aiGatewayRoute,
  backend,
  extensionRef,
} from './aiGatewayTestObjects';

const NS = 'ai';
const EG = 'gateway.envoyproxy.io/v1alpha1';
const GW = 'gateway.networking.k8s.io/v1';

const cluster = useControllerSandbox(NS);

/** A condition of the AIGatewayRoute's status, once it has one of that type. */
const routeCondition = (name: string, type: string) =>
  eventually(() =>
    conditionOf(cluster.get(AIGW, 'AIGatewayRoute', name)?.status, type),
  );

describe('AIGatewayRoute controller (Envoy AI Gateway v1.1.0)', () => {
  let route: KubeObject;

  beforeAll(async () => {
    for (const object of backend(NS, 'llama'))
      await apply(cluster.request, object);
    route = await apply(cluster.request, aiGatewayRoute(NS, 'chat', 'llama'));
  });

  it('generates the HTTPRoute of the same name as upstream builds it', async () => {
    const generated = await eventually(() =>
      cluster.get(GW, 'HTTPRoute', 'chat'),
    );
    expect(generated.metadata.labels).toEqual({
      'inference.platform.io/tenant': 'tenant-a',
      app: 'chat',
    });
    expect(generated.metadata.annotations).toEqual({
      'example.com/note': 'kept',
      'gateway.envoyproxy.io/backend-ref-priority': '0:llama:0,1:llama:1',
      'gateway.envoyproxy.io/ai-gateway-generated': 'true',
    });
    expect(generated.metadata.ownerReferences).toEqual([
      {
        apiVersion: AIGW,
        kind: 'AIGatewayRoute',
        name: 'chat',
        uid: route.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(generated.metadata.managedFields?.map(f => f.manager)).toEqual([
      'envoy-ai-gateway-controller',
    ]);
    const spec = generated.spec as any;
    expect(spec.parentRefs).toEqual([
      {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: 'ai-gateway',
        namespace: 'gateways',
        sectionName: 'https',
      },
    ]);
    expect(spec.hostnames).toEqual(['api.example.com']);
    const backendRef = {
      group: 'gateway.envoyproxy.io',
      kind: 'Backend',
      name: 'llama',
    };
    expect(spec.rules).toEqual([
      {
        name: 'primary',
        matches: [
          {
            headers: [{ type: 'Exact', name: 'x-ai-eg-model', value: 'llama' }],
            path: { type: 'PathPrefix', value: '/' },
          },
        ],
        filters: [extensionRef('ai-eg-host-rewrite-chat')],
        backendRefs: [{ ...backendRef, weight: 1 }],
        timeouts: { request: '60s' },
      },
      {
        matches: [
          {
            headers: [
              { type: 'Exact', name: 'x-ai-eg-model', value: 'llama-big' },
            ],
            path: { type: 'PathPrefix', value: '/' },
          },
        ],
        filters: [extensionRef('ai-eg-host-rewrite-chat')],
        backendRefs: [{ ...backendRef, weight: 3 }],
        timeouts: { backendRequest: '10s', request: '60s' },
      },
      {
        name: 'route-not-found',
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        filters: [extensionRef('ai-eg-route-not-found-response-chat')],
      },
    ]);
  });

  it('creates the two HTTPRouteFilters, owned by the AIGatewayRoute', async () => {
    const rewrite = await eventually(() =>
      cluster.get(EG, 'HTTPRouteFilter', 'ai-eg-host-rewrite-chat'),
    );
    const notFound = cluster.get(
      EG,
      'HTTPRouteFilter',
      'ai-eg-route-not-found-response-chat',
    )!;
    expect(rewrite.spec).toEqual({
      urlRewrite: { hostname: { type: 'Backend' } },
    });
    expect(notFound.spec).toEqual({
      directResponse: {
        statusCode: 404,
        body: {
          type: 'Inline',
          inline:
            'No matching route found. It is likely because the model specified in your request is not configured in the Gateway.',
        },
      },
    });
    for (const filter of [rewrite, notFound]) {
      expect(filter.metadata.ownerReferences).toEqual([
        expect.objectContaining({
          kind: 'AIGatewayRoute',
          uid: route.metadata.uid,
          controller: true,
        }),
      ]);
    }
  });

  it.each([
    ['AIGatewayRoute', 'chat', 'AI Gateway Route reconciled successfully'],
    ['AIServiceBackend', 'llama', 'AIServiceBackend reconciled successfully'],
  ])(
    'reports Accepted and keeps its finalizer on the %s',
    async (kind, name, message) => {
      const accepted = await eventually(() =>
        conditionOf(cluster.get(AIGW, kind, name)?.status, 'Accepted'),
      );
      expect(accepted).toMatchObject({
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message,
      });
      expect(cluster.get(AIGW, kind, name)!.metadata.finalizers).toEqual([
        'aigateway.envoyproxy.io/finalizer',
      ]);
    },
  );

  it('leaves the HTTPRoute in place when the same AIGatewayRoute is applied and reconciled again', async () => {
    const before = await eventually(() => cluster.get(GW, 'HTTPRoute', 'chat'));
    cluster.sandbox.audit.clear();
    await apply(cluster.request, aiGatewayRoute(NS, 'chat', 'llama'));
    // A change of the referenced AIServiceBackend makes the controller reconcile the route.
    const [, serviceBackend] = backend(NS, 'llama');
    (serviceBackend.spec as any).schema.prefix = '/openai/v1';
    await apply(cluster.request, serviceBackend);
    // The backend controller handles the change, then queues the route, which reconciles.
    const statusWrites = () =>
      cluster.sandbox.audit
        .entries(
          e =>
            e.actor === 'envoy-ai-gateway-controller' &&
            e.subresource === 'status',
        )
        .map(e => e.resource);
    await eventually(() => {
      const writes = statusWrites();
      const backendAt = writes.indexOf('aiservicebackends');
      return backendAt >= 0 &&
        writes.indexOf('aigatewayroutes', backendAt) > backendAt
        ? true
        : undefined;
    });
    const deletes = cluster.sandbox.audit.entries(
      e => e.verb === 'delete' || e.verb === 'deletecollection',
    );
    expect(deletes).toEqual([]);
    const routeWrites = cluster.sandbox.audit.entries(
      e => e.resource === 'httproutes' && e.subresource === undefined,
    );
    expect(routeWrites.length).toBeGreaterThan(0);
    expect(
      new Set(
        routeWrites.map(e => `${e.actor} ${e.verb} ${e.name} ${e.statusCode}`),
      ),
    ).toEqual(new Set(['envoy-ai-gateway-controller update chat 200']));
    const after = cluster.get(GW, 'HTTPRoute', 'chat')!;
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec).toEqual(before.spec);
  });

  it('updates the HTTPRoute in place when the AIGatewayRoute changes', async () => {
    const before = cluster.get(GW, 'HTTPRoute', 'chat')!;
    cluster.sandbox.audit.clear();
    const changed = aiGatewayRoute(NS, 'chat', 'llama');
    (changed.spec as any).hostnames = ['chat.example.com'];
    await apply(cluster.request, changed);
    const after = await eventually(() => {
      const current = cluster.get(GW, 'HTTPRoute', 'chat');
      return (current?.spec as any)?.hostnames?.[0] === 'chat.example.com'
        ? current
        : undefined;
    });
    expect(after.metadata.uid).toBe(before.metadata.uid);
    const writes = cluster.sandbox.audit.entries(
      e => e.resource === 'httproutes' && e.name === 'chat',
    );
    expect(writes.map(e => `${e.actor} ${e.verb}`)).toContain(
      'envoy-ai-gateway-controller update',
    );
    expect(writes.filter(e => e.verb === 'delete')).toEqual([]);
  });

  it('reports NotAccepted while a referenced AIServiceBackend is missing, Accepted once it exists', async () => {
    await apply(cluster.request, aiGatewayRoute(NS, 'waiting', 'later'));
    const notAccepted = await routeCondition('waiting', 'NotAccepted');
    expect(notAccepted).toMatchObject({
      status: 'False',
      reason: 'ReconciliationFailed',
      message:
        'failed to construct a new HTTPRoute: failed to get AIServiceBackend later.ai: AIServiceBackend later.ai not found',
    });
    expect(cluster.get(GW, 'HTTPRoute', 'waiting')).toBeUndefined();
    for (const object of backend(NS, 'later'))
      await apply(cluster.request, object);
    await routeCondition('waiting', 'Accepted');
    expect(cluster.get(GW, 'HTTPRoute', 'waiting')).toBeDefined();
  });

  it('removes the generated objects when the AIGatewayRoute is deleted', async () => {
    await eventually(() => cluster.get(GW, 'HTTPRoute', 'waiting'));
    cluster.sandbox.audit.clear();
    const response = await remove(
      cluster.request,
      aiGatewayRoute(NS, 'waiting', 'later'),
    );
    expect(response.status).toBe(200);
    await eventually(() =>
      cluster.get(AIGW, 'AIGatewayRoute', 'waiting') ? undefined : true,
    );
    await eventually(() =>
      cluster.get(GW, 'HTTPRoute', 'waiting') ? undefined : true,
    );
    await eventually(() =>
      cluster.get(EG, 'HTTPRouteFilter', 'ai-eg-host-rewrite-waiting') ||
      cluster.get(
        EG,
        'HTTPRouteFilter',
        'ai-eg-route-not-found-response-waiting',
      )
        ? undefined
        : true,
    );
    const collected = cluster.sandbox.audit.entries(
      e => e.verb === 'delete' && e.source === 'controller',
    );
    expect(
      collected.map(e => `${e.actor} ${e.resource}/${e.name}`).sort(),
    ).toEqual([
      'generic-garbage-collector httproutefilters/ai-eg-host-rewrite-waiting',
      'generic-garbage-collector httproutefilters/ai-eg-route-not-found-response-waiting',
      'generic-garbage-collector httproutes/waiting',
    ]);
    // The route with its own name was never touched.
    expect(cluster.get(GW, 'HTTPRoute', 'chat')).toBeDefined();
  });
});
