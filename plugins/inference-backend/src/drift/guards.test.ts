import type { DriftedObject } from '@inference-in-a-box/backstage-plugin-inference-common';
import { weakensGuard } from './guards';

const drift = (
  kind: string,
  change: DriftedObject['change'],
  fields: DriftedObject['fields'] = [],
) => ({ kind, change, fields });

describe('weakensGuard', () => {
  it.each([
    [
      'a SecurityPolicy spec change',
      drift('SecurityPolicy', 'changed', [
        {
          path: 'spec.apiKeyAuth.extractFrom.0.headers.0',
          before: 'x-api-key',
        },
      ]),
      true,
    ],
    [
      'a SecurityPolicy label change only',
      drift('SecurityPolicy', 'changed', [
        { path: 'metadata.labels.team', after: 'x' },
      ]),
      false,
    ],
    [
      'an AuthorizationPolicy missing',
      drift('AuthorizationPolicy', 'missing'),
      true,
    ],
    [
      'a raised request limit',
      drift('BackendTrafficPolicy', 'changed', [
        {
          path: 'spec.rateLimit.global.rules.0.limit.requests',
          before: 60,
          after: 6000,
        },
      ]),
      false,
    ],
    [
      'a changed limit unit',
      drift('BackendTrafficPolicy', 'changed', [
        {
          path: 'spec.rateLimit.global.rules.0.limit.unit',
          before: 'Minute',
          after: 'Hour',
        },
      ]),
      false,
    ],
    [
      'a rate-limit rule taken away',
      drift('BackendTrafficPolicy', 'changed', [
        { path: 'spec.rateLimit.global.rules.1.limit.requests', before: 3600 },
      ]),
      true,
    ],
    [
      'per-key selectors changed',
      drift('BackendTrafficPolicy', 'changed', [
        {
          path: 'spec.rateLimit.global.rules.0.clientSelectors.0.headers.0.type',
          before: 'Distinct',
          after: 'Exact',
        },
      ]),
      true,
    ],
    [
      'a key added to the Secret',
      drift('Secret', 'changed', [
        { path: 'data["intruder"]', after: '(hidden)' },
      ]),
      true,
    ],
    [
      'a key removed from the Secret',
      drift('Secret', 'changed', [
        { path: 'data["key-1"]', before: '(hidden)' },
      ]),
      false,
    ],
    ['an extra labelled object', drift('SecurityPolicy', 'extra'), false],
    [
      'a route change',
      drift('HTTPRoute', 'changed', [
        { path: 'spec.hostnames.0', before: 'a', after: 'b' },
      ]),
      false,
    ],
  ] as const)('%s: %s', (_what, object, expected) => {
    expect(weakensGuard(object, true)).toBe(expected);
  });

  it('does not count a missing guard as weakened when the route is gone too', () => {
    expect(weakensGuard(drift('SecurityPolicy', 'missing'), false)).toBe(false);
    expect(weakensGuard(drift('SecurityPolicy', 'missing'), true)).toBe(true);
  });
});
