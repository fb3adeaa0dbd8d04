import { KubeObject } from '../../store/types';
import {
  apply,
  conditionOf,
  eventually,
  useControllerSandbox,
} from '../../testUtils/controllerTestKit';
import { errorToConditionMessage } from './httpRouteStatus';

const NS = 'routes';
const GW = 'gateway.networking.k8s.io/v1';
const EG = 'gateway.envoyproxy.io/v1alpha1';

const cluster = useControllerSandbox(NS);

function httpRoute(name: string, rules: unknown[]): KubeObject {
  return {
    apiVersion: GW,
    kind: 'HTTPRoute',
    metadata: { name, namespace: NS },
    spec: {
      parentRefs: [{ name: 'ai-gateway', namespace: 'gateways' }],
      rules,
    },
  };
}

/** A route with one rule to port 80 of a Service. */
const routeTo = (name: string, serviceName: string) =>
  httpRoute(name, [{ backendRefs: [{ name: serviceName, port: 80 }] }]);

function service(name: string, spec: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec,
  };
}

function backend(name: string): KubeObject {
  return {
    apiVersion: EG,
    kind: 'Backend',
    metadata: { name, namespace: NS },
    spec: {
      endpoints: [{ fqdn: { hostname: 'model.example.com', port: 443 } }],
    },
  };
}

/** The route's one parent status entry. */
const parentOf = (name: string): any =>
  (cluster.get(GW, 'HTTPRoute', name)?.status as any)?.parents?.[0];

/** A predictor-only InferenceService, with the given annotations. */
function inferenceService(
  name: string,
  annotations?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace: NS, ...(annotations ? { annotations } : {}) },
    spec: { predictor: { model: { modelFormat: { name: 'sklearn' } } } },
  };
}

/** The route's one parent status, once its ResolvedRefs condition has the given status. */
function parentWhen(name: string, resolved: 'True' | 'False') {
  return eventually(() => {
    const parent = parentOf(name);
    return conditionOf(parent, 'ResolvedRefs')?.status === resolved
      ? parent
      : undefined;
  });
}

describe('HTTPRoute status (Envoy Gateway v1.9.0)', () => {
  it('formats messages as status.Error2ConditionMsg does', () => {
    expect(errorToConditionMessage('service a/b not found')).toBe(
      'Service a/b not found.',
    );
    expect(errorToConditionMessage('Done.')).toBe('Done.');
    expect(errorToConditionMessage('1 thing')).toBe('1 thing.');
  });

  it('refuses an ExternalName Service with UnsupportedValue', async () => {
    await apply(
      cluster.request,
      service('external', {
        type: 'ExternalName',
        externalName: 'knative-local-gateway.istio-system.svc.cluster.local',
        ports: [{ name: 'http2', port: 80 }],
      }),
    );
    await apply(cluster.request, routeTo('to-external', 'external'));
    const parent = await parentWhen('to-external', 'False');
    expect(parent.parentRef).toEqual({
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: 'ai-gateway',
      namespace: 'gateways',
    });
    expect(parent.controllerName).toBe(
      'gateway.envoyproxy.io/gatewayclass-controller',
    );
    expect(conditionOf(parent, 'Accepted')).toMatchObject({
      status: 'True',
      reason: 'Accepted',
      message: 'Route is accepted',
      observedGeneration: 1,
    });
    expect(conditionOf(parent, 'ResolvedRefs')).toMatchObject({
      status: 'False',
      reason: 'UnsupportedValue',
      message:
        'Failed to process route rule 0 backendRef 0: Service routes/external is of type ExternalName, which is not supported as a backend; use an Envoy Gateway Backend resource with an FQDN endpoint instead.',
    });
  });

  it('reports a missing Backend, and resolves the route once the Backend exists', async () => {
    await apply(
      cluster.request,
      httpRoute('to-backend', [
        {
          backendRefs: [
            { group: 'gateway.envoyproxy.io', kind: 'Backend', name: 'later' },
          ],
        },
      ]),
    );
    const missing = await parentWhen('to-backend', 'False');
    expect(conditionOf(missing, 'ResolvedRefs')).toMatchObject({
      reason: 'BackendNotFound',
      message:
        'Failed to process route rule 0 backendRef 0: Backend routes/later not found.',
    });
    await apply(cluster.request, backend('later'));
    const resolved = await parentWhen('to-backend', 'True');
    expect(conditionOf(resolved, 'ResolvedRefs')).toMatchObject({
      reason: 'ResolvedRefs',
      message: 'Resolved all the Object references for the Route',
    });
    expect(resolved.conditions.map((c: any) => c.type)).toEqual([
      'Accepted',
      'ResolvedRefs',
    ]);
    const backendAccepted = await eventually(() =>
      conditionOf(cluster.get(EG, 'Backend', 'later')?.status, 'Accepted'),
    );
    expect(backendAccepted).toMatchObject({
      status: 'True',
      reason: 'Accepted',
      message: 'The Backend was accepted',
      observedGeneration: 1,
    });
  });

  it('reports a missing Service and a missing port', async () => {
    await apply(
      cluster.request,
      service('web', { selector: { app: 'web' }, ports: [{ port: 8080 }] }),
    );
    await apply(
      cluster.request,
      httpRoute('broken', [
        { backendRefs: [{ name: 'nowhere', port: 80 }] },
        { backendRefs: [{ name: 'web', port: 80 }] },
      ]),
    );
    const parent = await parentWhen('broken', 'False');
    expect(conditionOf(parent, 'ResolvedRefs')).toMatchObject({
      reason: 'BackendNotFound,PortNotFound',
      message:
        'Failed to process route rule 0 backendRef 0: service routes/nowhere not found.\n' +
        'Failed to process route rule 1 backendRef 0: TCP Port 80 not found on Service routes/web.',
    });
  });

  it('resolves a ClusterIP Service with the port, and reports when no ready pod backs it', async () => {
    await apply(
      cluster.request,
      service('idle', {
        selector: { app: 'idle' },
        ports: [{ port: 80, targetPort: 8080 }],
      }),
    );
    await apply(cluster.request, routeTo('to-idle', 'idle'));
    const parent = await parentWhen('to-idle', 'True');
    expect(conditionOf(parent, 'BackendsAvailable')).toMatchObject({
      status: 'False',
      reason: 'EndpointsNotFound',
      message:
        'Failed to find endpoints: no ready endpoints for the related Service routes/idle.',
    });
  });

  it('resolves the predictor Service of a Standard InferenceService, whose pods are ready', async () => {
    await apply(cluster.request, inferenceService('iris'));
    await apply(cluster.request, routeTo('to-iris', 'iris-predictor'));
    const parent = await eventually(() => {
      const current = parentOf('to-iris');
      return current && !conditionOf(current, 'BackendsAvailable')
        ? current
        : undefined;
    });
    expect(parent.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual([
      'Accepted=True',
      'ResolvedRefs=True',
    ]);
  });

  it('resolves the predictor Service of a Knative InferenceService, which has no endpoints, and its Backend by FQDN', async () => {
    // With net-istio in mesh-only mode <isvc>-predictor is Knative's ClusterIP Service without
    // selector or Endpoints: the port resolves, but Envoy Gateway's default endpoint routing finds
    // no EndpointSlices (route.go processServiceDestinationSetting). A Backend with the predictor's
    // FQDN, as the portal publishes it, resolves.
    const knative = { 'serving.kserve.io/deploymentMode': 'Knative' };
    await apply(cluster.request, inferenceService('scaled', knative));
    await eventually(() =>
      (cluster.get('v1', 'Service', 'scaled-predictor')?.spec as any)?.type ===
      'ClusterIP'
        ? true
        : undefined,
    );
    await apply(cluster.request, routeTo('to-scaled', 'scaled-predictor'));
    const parent = await parentWhen('to-scaled', 'True');
    expect(conditionOf(parent, 'BackendsAvailable')).toMatchObject({
      status: 'False',
      reason: 'EndpointsNotFound',
      message:
        'Failed to find endpoints: no ready endpoints for the related Service routes/scaled-predictor.',
    });
    await apply(cluster.request, {
      apiVersion: EG,
      kind: 'Backend',
      metadata: { name: 'scaled-predictor', namespace: NS },
      spec: {
        endpoints: [
          {
            fqdn: {
              hostname: 'scaled-predictor.routes.svc.cluster.local',
              port: 80,
            },
          },
        ],
      },
    });
    await apply(
      cluster.request,
      httpRoute('to-scaled-backend', [
        {
          backendRefs: [
            {
              group: 'gateway.envoyproxy.io',
              kind: 'Backend',
              name: 'scaled-predictor',
            },
          ],
        },
      ]),
    );
    const viaBackend = await parentWhen('to-scaled-backend', 'True');
    expect(
      viaBackend.conditions.map((c: any) => `${c.type}=${c.status}`),
    ).toEqual(['Accepted=True', 'ResolvedRefs=True']);
  });

  it('reports an ExtensionRef to a missing HTTPRouteFilter', async () => {
    await apply(cluster.request, backend('filtered'));
    await apply(
      cluster.request,
      httpRoute('with-filter', [
        {
          filters: [
            {
              type: 'ExtensionRef',
              extensionRef: {
                group: 'gateway.envoyproxy.io',
                kind: 'HTTPRouteFilter',
                name: 'gone',
              },
            },
          ],
          backendRefs: [
            {
              group: 'gateway.envoyproxy.io',
              kind: 'Backend',
              name: 'filtered',
            },
          ],
        },
      ]),
    );
    const parent = await parentWhen('with-filter', 'False');
    expect(conditionOf(parent, 'ResolvedRefs')).toMatchObject({
      reason: 'UnsupportedValue',
      message: 'Unable to translate HTTPRouteFilter: routes/gone.',
    });
  });
});
