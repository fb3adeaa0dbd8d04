import { ApiException } from '@kubernetes/client-node';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import {
  ClusterFailureError,
  ClusterRejectedError,
  scrubClusterMessage,
  scrubError,
  toPortalError,
} from './errors';

const FORBIDDEN = {
  kind: 'Status',
  status: 'Failure',
  reason: 'Forbidden',
  code: 403,
  message:
    'securitypolicies.gateway.envoyproxy.io "iris-auth" is forbidden: User "system:serviceaccount:inference-portal:inference-portal" cannot patch resource "securitypolicies" in API group "gateway.envoyproxy.io" in the namespace "tenant-a"',
};
const WEBHOOK_INVALID = {
  kind: 'Status',
  status: 'Failure',
  reason: 'Invalid',
  code: 422,
  message:
    'InferenceService.serving.kserve.io "iris" is invalid: spec.predictor: Internal error occurred: failed calling webhook "inferenceservice.kserve-webhook-server.validator": failed to call webhook: Post "https://kserve-webhook-server-service.kserve.svc:443/validate-serving-kserve-io-v1beta1-inferenceservice?timeout=10s": dial tcp 10.96.12.3:443: connect: connection refused',
  details: {
    name: 'iris',
    kind: 'InferenceService',
    causes: [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.predictor.minReplicas',
        message: 'Invalid value: -1: must be greater than or equal to 0',
      },
      {
        reason: 'InternalError',
        field: 'spec.predictor',
        message:
          'webhook kserve-webhook-server-service.kserve.svc unreachable at [fd00::12]:9443',
      },
    ],
  },
};
const apiError = (code: number, body: unknown) =>
  new ApiException(
    code,
    `HTTP-Code: ${code}\nBody: ${JSON.stringify(body)}`,
    JSON.stringify(body),
    { 'audit-id': 'x' },
  );

describe('scrubClusterMessage', () => {
  it.each([
    [
      'request to https://10.0.0.12:6443/apis/x/v1/namespaces/a/things failed, reason: connect ECONNREFUSED 10.0.0.12:6443',
      'request to <url> failed, reason: connect ECONNREFUSED <address>',
    ],
    [
      'User "system:serviceaccount:inference-portal:inference-portal" cannot list',
      'User "<service account>" cannot list',
    ],
    [
      'principal cluster.local/ns/envoy-gateway-system/sa/envoy-gw not allowed',
      'principal <service account> not allowed',
    ],
    ['dial tcp 127.0.0.1:7443: i/o timeout', 'dial tcp <address>: i/o timeout'],
    ['connect to localhost:7443 failed', 'connect to <address> failed'],
    [
      'no endpoints for kserve-webhook-server-service.kserve.svc.cluster.local',
      'no endpoints for <host>',
    ],
    ['webhook at [fd00::1]:9443 down', 'webhook at <address> down'],
  ])('%s', (raw, scrubbed) => {
    expect(scrubClusterMessage(raw)).toBe(scrubbed);
  });

  it('keeps kinds, names, fields, values and times', () => {
    const useful =
      'SecurityPolicy.gateway.envoyproxy.io "iris-auth" is invalid: spec.jwt.providers[0].audiences: Invalid value: "string": must be array; at 2026-12-03T10:45:30Z, port 80';
    expect(scrubClusterMessage(useful)).toBe(useful);
  });
});

describe('toPortalError', () => {
  it('keeps status, kind/name and the refused verb of a 403, not the ServiceAccount', () => {
    const error = toPortalError(
      'local',
      'SecurityPolicy tenant-a/iris-auth',
      apiError(403, FORBIDDEN),
    );
    expect(error).toBeInstanceOf(ClusterFailureError);
    expect((error as ClusterFailureError).statusCode).toBe(403);
    expect(error.message).toBe(
      `Kubernetes cluster 'local' failed SecurityPolicy tenant-a/iris-auth (HTTP 403): securitypolicies.gateway.envoyproxy.io "iris-auth" is forbidden: User "<service account>" cannot patch resource "securitypolicies" in API group "gateway.envoyproxy.io" in the namespace "tenant-a"`,
    );
  });

  it('keeps the field causes of a rejection and scrubs the addresses in them', () => {
    const error = toPortalError(
      'local',
      'InferenceService tenant-a/iris',
      apiError(422, WEBHOOK_INVALID),
    ) as ClusterRejectedError;
    expect(error).toBeInstanceOf(ClusterRejectedError);
    expect(error.message).toContain(
      'InferenceService.serving.kserve.io "iris" is invalid: spec.predictor',
    );
    expect(error.message).toContain('failed calling webhook');
    expect(error.message).not.toMatch(/10\.96|svc|https:|:443/);
    expect(error.causes).toEqual([
      WEBHOOK_INVALID.details.causes[0],
      {
        reason: 'InternalError',
        field: 'spec.predictor',
        message: 'webhook <host> unreachable at <address>',
      },
    ]);
  });

  it('says why the cluster was not reached without its address', () => {
    const cause = Object.assign(
      new Error('connect ECONNREFUSED 10.0.0.12:6443'),
      { code: 'ECONNREFUSED' },
    );
    const network = Object.assign(
      new Error(
        'request to https://10.0.0.12:6443/api/v1/namespaces failed, reason: connect ECONNREFUSED 10.0.0.12:6443',
      ),
      { type: 'system', cause },
    );
    const error = toPortalError('prod', 'list Namespace', network);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      "Kubernetes cluster 'prod' is unreachable (list Namespace): ECONNREFUSED",
    );
  });
});

describe('scrubError', () => {
  it('keeps the class, status and causes, drops cause chains and raw responses', () => {
    const raw = Object.assign(
      new ClusterRejectedError('rejected at https://10.1.2.3:6443/x', [
        { field: 'spec.a', message: 'via 10.1.2.3:6443', reason: 'Invalid' },
      ]),
      { body: FORBIDDEN, cause: new Error('system:serviceaccount:a:b') },
    );
    const scrubbed = scrubError(raw);
    expect(scrubbed).toBeInstanceOf(ClusterRejectedError);
    expect(scrubbed.name).toBe('ClusterRejectedError');
    expect(scrubbed.message).toBe('rejected at <url>');
    expect(scrubbed.causes).toEqual([
      { field: 'spec.a', message: 'via <address>', reason: 'Invalid' },
    ]);
    expect(scrubbed.stack).toMatch(
      /^ClusterRejectedError: rejected at <url>\n\s+at /,
    );
    const json = JSON.stringify({ ...scrubbed, stack: scrubbed.stack });
    expect(json).not.toMatch(/10\.1\.2\.3|serviceaccount/);
    expect(raw.message).toBe('rejected at https://10.1.2.3:6443/x');
  });

  it('keeps Backstage error classes (and so their status) and passes non-errors', () => {
    expect(
      scrubError(new NotFoundError('no such thing at 10.0.0.1:80')),
    ).toEqual(expect.objectContaining({ name: 'NotFoundError' }));
    expect(scrubError(new NotFoundError('x at 10.0.0.1:80')).message).toBe(
      'x at <address>',
    );
    expect(scrubError('text')).toBe('text');
  });
});
