import { KubeSandbox, startKubeSandbox } from '@internal/kube-sandbox';
import { ResolveJwks } from '../filters/remoteJwks';
import { KubeObject, WATCHED_KINDS } from '../objects/types';
import { acceptedParentRefs } from '../routing/attachment';
import {
  DEFAULT_GATEWAY,
  GatewaySandbox,
  startGatewaySandbox,
} from '../server';
import { applyObjects } from './kubeApi';
import { loadYaml, tenantNamespace } from './kubeObjects';

export interface Harness {
  kube: KubeSandbox;
  gateway: GatewaySandbox;
  /** Applies objects and waits until the double sees their routes Accepted. */
  publish(objects: KubeObject[]): Promise<KubeObject[]>;
  close(): Promise<void>;
}

/**
 * A kube-sandbox (controllers and mock model server on) holding the
 * platform's Gateway, and the gateway double reading it; every backend
 * resolves to the mock model server; `clock` drives the rate limit windows
 * and the JWT/JWKS times; `resolveJwks` maps JWKS URIs to local URLs;
 * `metricsRequestHeaderAttributes` labels the GenAI metrics;
 * `resolveBackend` decides instead (given the mock model server's URL).
 */
export async function startHarness(
  options: {
    clock?: () => number;
    resolveJwks?: ResolveJwks;
    metricsRequestHeaderAttributes?: string;
    /** Where backends go instead; undefined = no healthy upstream. */
    resolveBackend?: (
      hostname: string,
      port: number,
      modelServerUrl: string,
    ) => string | undefined;
  } = {},
): Promise<Harness> {
  const kube = await startKubeSandbox({
    controllers: { readyDelayMs: 20 },
    modelServer: true,
  });
  await applyObjects(kube.url, [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'envoy-gateway-system' },
    },
    ...loadYaml('configs/envoy-gateway/gateway.yaml'),
  ]);
  const gateway = await startGatewaySandbox({
    kubeApiUrl: kube.url,
    resolveBackend: (hostname, port) =>
      options.resolveBackend
        ? options.resolveBackend(hostname, port, kube.modelServerUrl!)
        : kube.modelServerUrl,
    clock: options.clock,
    resolveJwks: options.resolveJwks,
    metricsRequestHeaderAttributes: options.metricsRequestHeaderAttributes,
  });
  const publish = async (objects: KubeObject[]) => {
    const namespaces = [...new Set(objects.map(o => o.metadata.namespace!))];
    const applied = await applyObjects(kube.url, [
      ...namespaces.map(tenantNamespace),
      ...objects,
    ]);
    const routeNames = objects
      .filter(o => o.kind === 'HTTPRoute' || o.kind === 'AIGatewayRoute')
      .map(o => [o.metadata.namespace, o.metadata.name] as const);
    await gateway.objects.waitFor(() =>
      routeNames.every(([ns, name]) => {
        const route = gateway.objects.get('HTTPRoute', ns, name);
        return (
          route !== undefined &&
          acceptedParentRefs(route, DEFAULT_GATEWAY).length > 0
        );
      }),
    );
    for (const o of applied) {
      const kind = WATCHED_KINDS.find(k => k.key === o.kind)?.key;
      if (kind)
        await gateway.objects.waitForResourceVersion(
          kind,
          o.metadata.resourceVersion!,
        );
    }
    return applied;
  };
  return {
    kube,
    gateway,
    publish,
    close: async () => {
      await gateway.close();
      await kube.close();
    },
  };
}
