import { KubeObject } from '../../store/types';

/** Objects for the AIGatewayRoute controller tests. */

export const AIGW = 'aigateway.envoyproxy.io/v1beta1';
const EG = 'gateway.envoyproxy.io/v1alpha1';

/** An Envoy Gateway Backend and the AIServiceBackend in front of it, both named `name`. */
export function backend(namespace: string, name: string): KubeObject[] {
  return [
    {
      apiVersion: EG,
      kind: 'Backend',
      metadata: { name, namespace },
      spec: {
        endpoints: [
          {
            fqdn: {
              hostname: `${name}.${namespace}.svc.cluster.local`,
              port: 80,
            },
          },
        ],
      },
    },
    {
      apiVersion: AIGW,
      kind: 'AIServiceBackend',
      metadata: { name, namespace },
      spec: {
        schema: { name: 'OpenAI', prefix: '/v1' },
        backendRef: { group: 'gateway.envoyproxy.io', kind: 'Backend', name },
      },
    },
  ];
}

export function aiGatewayRoute(
  namespace: string,
  name: string,
  backendName: string,
): KubeObject {
  return {
    apiVersion: AIGW,
    kind: 'AIGatewayRoute',
    metadata: {
      name,
      namespace,
      labels: { 'inference.platform.io/tenant': 'tenant-a', app: 'chat' },
      annotations: { 'example.com/note': 'kept' },
    },
    spec: {
      parentRefs: [
        { name: 'ai-gateway', namespace: 'gateways', sectionName: 'https' },
      ],
      hostnames: ['api.example.com'],
      rules: [
        {
          name: 'primary',
          matches: [
            {
              headers: [
                { type: 'Exact', name: 'x-ai-eg-model', value: 'llama' },
              ],
            },
          ],
          backendRefs: [{ name: backendName }],
        },
        {
          matches: [
            { headers: [{ name: 'x-ai-eg-model', value: 'llama-big' }] },
          ],
          backendRefs: [{ name: backendName, weight: 3, priority: 1 }],
          timeouts: { backendRequest: '10s' },
        },
      ],
    },
  };
}

export const extensionRef = (name: string) => ({
  type: 'ExtensionRef',
  extensionRef: {
    group: 'gateway.envoyproxy.io',
    kind: 'HTTPRouteFilter',
    name,
  },
});
