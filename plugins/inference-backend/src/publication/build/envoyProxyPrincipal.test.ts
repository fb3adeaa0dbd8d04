import { createHash } from 'node:crypto';
import { envoyProxyPrincipal } from './envoyProxyPrincipal';

describe('envoyProxyPrincipal', () => {
  it("is Envoy Gateway's ServiceAccount name for the Gateway, hash as a wildcard", () => {
    expect(
      envoyProxyPrincipal({
        name: 'ai-inference-gateway',
        namespace: 'envoy-gateway-system',
      }),
    ).toBe(
      'cluster.local/ns/envoy-gateway-system/sa/envoy-envoy-gateway-system-ai-inference-gateway-*',
    );
  });

  it('matches the exact name Envoy Gateway derives, hash included', () => {
    // GetHashedName: `<ns>-<name>` plus the first 8 hex digits of sha256("<ns>/<name>").
    const hash = createHash('sha256')
      .update('envoy-gateway-system/ai-inference-gateway')
      .digest('hex')
      .slice(0, 8);
    const exact = `envoy-envoy-gateway-system-ai-inference-gateway-${hash}`;
    const principal = envoyProxyPrincipal({
      name: 'ai-inference-gateway',
      namespace: 'envoy-gateway-system',
    });
    // Istio matches a trailing `*` as a prefix.
    expect(exact.startsWith(principal.split('/sa/')[1].slice(0, -1))).toBe(
      true,
    );
  });

  it('cuts `<namespace>-<name>` to 48 characters without a trailing dash, as Envoy Gateway does', () => {
    const principal = envoyProxyPrincipal({
      namespace: 'platform-gateways',
      name: 'a-very-long-gateway-name-for-the-inference-platform',
    });
    const sa = principal.split('/sa/')[1];
    // 'platform-gateways-a-very-long-gateway-name-for-t' is 48 characters.
    expect(sa).toBe('envoy-platform-gateways-a-very-long-gateway-name-for-t-*');
    expect(
      envoyProxyPrincipal({ namespace: 'ns', name: `${'x'.repeat(44)}-tail` }),
    ).toBe(`cluster.local/ns/ns/sa/envoy-ns-${'x'.repeat(44)}-*`);
  });
});
