// Envoy Gateway runs api_key_auth and jwt_authn with the route it matched before the body is read;
// only then does the AI Gateway's ext_proc set `x-ai-eg-model` from the body and have the route
// chosen again (envoyproxy/gateway v1.9.0 internal/xds/translator/httpfilters.go; envoyproxy/ai-gateway
// issue 1474). So the key check that runs for a request is the one of any route that can match its
// hostname first. These tests show that every route a hostname can match belongs to one publication,
// which guards all of them with its own check: no publication's key check runs for another's model.
import { KubeObject } from '../../models/types';
import { buildPublicationObjects } from './buildPublicationObjects';
import { openAiInput, platform } from './publicationInputs.fixtures';
import { PublicationInput } from './types';

/** The OpenAI publication of the model `qwen` with the public name `qwen-chat` in a tenant. */
const qwenIn = (tenant: string): PublicationInput =>
  openAiInput({
    tenant,
    namespace: tenant,
    model: {
      name: 'qwen',
      isvc: {
        ...openAiInput().model.isvc,
        metadata: { name: 'qwen', namespace: tenant },
      },
    },
    request: { ...openAiInput().request, publicModelName: 'qwen-chat' },
  });

/** Each route's hostnames, with the SecurityPolicies (by name) that guard that route. */
function guardedRoutes(objects: KubeObject[]) {
  const policies = objects.filter(o => o.kind === 'SecurityPolicy');
  return objects
    .filter(o => o.kind === 'AIGatewayRoute' || o.kind === 'HTTPRoute')
    .map(route => ({
      namespace: route.metadata.namespace,
      // The controller's HTTPRoute for an AIGatewayRoute has its name: policies target that.
      route: route.metadata.name,
      hostnames: (route.spec as { hostnames: string[] }).hostnames,
      guards: policies
        .filter(p =>
          (p.spec as { targetRefs: { name: string }[] }).targetRefs.some(
            t => t.name === route.metadata.name,
          ),
        )
        .map(p => p.metadata.name),
    }));
}

describe('key checks of OpenAI publications', () => {
  it('gives two tenants publishing the same model and public name two hostnames', () => {
    const a = guardedRoutes(buildPublicationObjects(qwenIn('tenant-a')));
    const b = guardedRoutes(buildPublicationObjects(qwenIn('tenant-b')));
    const hostsOf = (routes: typeof a) => routes.flatMap(r => r.hostnames);
    expect(hostsOf(a)).toEqual(['qwen-tenant-a.inference-in-a-box']);
    expect(hostsOf(b)).toEqual(['qwen-tenant-b.inference-in-a-box']);
  });

  it('guards every route a hostname can match first with the publication owning the hostname', () => {
    const routes = ['tenant-a', 'tenant-b', 'tenant-c'].flatMap(tenant =>
      guardedRoutes(buildPublicationObjects(qwenIn(tenant))),
    );
    const byHostname = new Map<string, typeof routes>();
    for (const route of routes) {
      for (const hostname of route.hostnames) {
        byHostname.set(hostname, [...(byHostname.get(hostname) ?? []), route]);
      }
    }
    expect(byHostname.size).toBe(3);
    for (const [, onHost] of byHostname) {
      // One publication's route per hostname, guarded by that publication's own policy.
      expect(onHost).toHaveLength(1);
      expect(onHost[0].guards).toEqual([`${onHost[0].route}-auth`]);
    }
  });

  it('keeps a hostname the request names, which the service then refuses to share', () => {
    const hostname = 'shared.inference-in-a-box';
    const objects = buildPublicationObjects(
      openAiInput({
        request: { ...openAiInput().request, hostname },
        platform: { ...platform, allowedHostnames: [hostname] },
      }),
    );
    expect(guardedRoutes(objects).map(r => r.hostnames)).toEqual([[hostname]]);
  });
});
