import { zodToJsonSchema } from 'zod-to-json-schema';
import { components } from './components';
import { json, ref } from './schemaParts';
import type { ZodTypeAny } from 'zod/v3';
import {
  apiKeyCreateSchema,
  apiKeyRotateSchema,
  DNS_LABEL_PATTERN,
  modelSpecSchema,
  USAGE_WINDOWS,
  publishRequestSchema,
  rolloutRequestSchema,
  rolloutTrafficSchema,
  testInvocationRequestSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/**
 * The inference API's OpenAPI 3 document. Request bodies are generated from the same zod schemas
 * the router validates with, so the document cannot drift from the validation; ../../openapi.yaml
 * is this document written out (a test keeps the two identical) and the backend serves it at
 * GET /openapi.json.
 */

const requestSchemas: Record<string, ZodTypeAny> = {
  ModelSpec: modelSpecSchema,
  PublishRequest: publishRequestSchema,
  ApiKeyCreateRequest: apiKeyCreateSchema,
  ApiKeyRotateRequest: apiKeyRotateSchema,
  TestInvocationRequest: testInvocationRequestSchema,
  RolloutRequest: rolloutRequestSchema,
  RolloutTrafficRequest: rolloutTrafficSchema,
};

const ok = (description: string, schema?: object) => ({
  description,
  ...(schema ? json(schema) : {}),
});
const items = (schema: object) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: schema } },
});
const anyObject = { type: 'object', additionalProperties: true };

const errors = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '403': { $ref: '#/components/responses/Forbidden' },
  '404': { $ref: '#/components/responses/NotFound' },
  '409': { $ref: '#/components/responses/Conflict' },
  '422': { $ref: '#/components/responses/ClusterRejected' },
  '503': { $ref: '#/components/responses/ClusterUnavailable' },
};
const modelParams = [
  {
    name: 'cluster',
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: 'Configured cluster name',
  },
  {
    name: 'namespace',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: DNS_LABEL_PATTERN.source },
  },
  {
    name: 'name',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: DNS_LABEL_PATTERN.source },
  },
];
const dryRun = {
  name: 'dryRun',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: ['true', 'false', 'All'] },
  description:
    'Plan only: validate with the cluster and return the changes, write nothing',
};
const keyId = {
  name: 'keyId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^key-[0-9a-f]{12}$' },
};

const op = (
  summary: string,
  permission: string,
  responses: object,
  extra: object = {},
) => ({
  summary,
  description: `Requires the \`${permission}\` permission.`,
  responses: { ...responses, ...errors },
  ...extra,
});

const MODEL = '/models/{cluster}/{namespace}/{name}';

/** Routes that list across tenants, the platform overview, and the document itself. */
function collectionPaths() {
  return {
    '/platform': {
      get: op(
        'Platform overview: installed API groups, the Gateway, counts per tenant',
        'inference.admin',
        { '200': ok('Per cluster', anyObject) },
      ),
    },
    '/drift-check': {
      post: op(
        'Check every publication on every cluster for drift now (as the scheduled check does)',
        'inference.admin',
        {
          '200': ok(
            'Counts and the publications that could not be checked',
            anyObject,
          ),
        },
      ),
    },
    '/tenants': {
      get: op(
        'Tenants the caller may read, with their namespace state',
        'inference.model.read',
        { '200': ok('Tenants', items(anyObject)) },
      ),
    },
    '/models': {
      get: op(
        'Models the caller may read, with serving status',
        'inference.model.read',
        { '200': ok('Models (an empty list, never null)', items(anyObject)) },
      ),
      post: op(
        'Create a model',
        'inference.model.create',
        {
          '201': ok('Created', anyObject),
          '200': ok('Dry run: manifest and changes', anyObject),
        },
        {
          parameters: [dryRun],
          requestBody: {
            required: true,
            ...json({
              type: 'object',
              required: ['namespace', 'spec'],
              additionalProperties: false,
              properties: {
                cluster: { type: 'string' },
                namespace: { type: 'string' },
                spec: ref('ModelSpec'),
              },
            }),
          },
        },
      ),
    },
    '/publications': {
      get: op(
        'Publications in every tenant the caller may read',
        'inference.model.read',
        {
          '200': ok(
            'Publications (an empty list, never null)',
            items(anyObject),
          ),
        },
      ),
    },
    '/openapi.json': {
      get: {
        summary: 'This document',
        responses: { '200': ok('OpenAPI document', anyObject) },
      },
    },
  };
}

/** One model: read, update, delete, its history and test invocations. */
function modelPaths(model: string) {
  return {
    [model]: {
      parameters: modelParams,
      get: op('A model with its manifest and status', 'inference.model.read', {
        '200': ok('Model', anyObject),
      }),
      put: op(
        'Update a model',
        'inference.model.update',
        { '200': ok('Updated, or the dry-run plan', anyObject) },
        {
          parameters: [dryRun],
          requestBody: { required: true, ...json(ref('ModelSpec')) },
        },
      ),
      delete: op('Delete an unpublished model', 'inference.model.delete', {
        '204': ok('Deleted'),
      }),
    },
    [`${model}/history`]: {
      parameters: modelParams,
      get: op(
        'Publication history of the model, newest first',
        'inference.model.read',
        { '200': ok('History', items(anyObject)) },
      ),
    },
    [`${model}/test`]: {
      parameters: modelParams,
      post: op(
        'Send a test request through the gateway (or in-cluster); the URL is chosen by the backend',
        'inference.model.test',
        {
          '200': ok('Status, latency, headers, body, token usage', anyObject),
        },
        {
          requestBody: {
            required: true,
            ...json(ref('TestInvocationRequest')),
          },
        },
      ),
    },
  };
}

/** A model's publication and its API keys. */
function publicationPaths(model: string) {
  return {
    [`${model}/publication`]: {
      parameters: modelParams,
      get: op('The publication', 'inference.model.read', {
        '200': ok('Publication', anyObject),
      }),
      put: op(
        'Publish, or update the publication (one idempotent apply; dryRun plans per object)',
        'inference.model.publish',
        { '200': ok('Changes and the publication', anyObject) },
        {
          parameters: [dryRun],
          requestBody: { required: true, ...json(ref('PublishRequest')) },
        },
      ),
      delete: op(
        'Unpublish: delete every object of the publication',
        'inference.model.publish',
        { '200': ok('Deleted objects', anyObject) },
        { parameters: [dryRun] },
      ),
    },
    [`${model}/publication/drift-check`]: {
      parameters: modelParams,
      post: op(
        'Check the publication for drift now (objects changed outside the portal); guards that were weakened are put back at once',
        'inference.model.read',
        { '200': ok('The drift check (PublicationDrift)', anyObject) },
      ),
    },
    [`${model}/publication/reconcile`]: {
      parameters: modelParams,
      post: op(
        'Re-apply the published objects, taking back every drifted field',
        'inference.model.publish',
        { '200': ok('The publication, with a fresh drift check', anyObject) },
      ),
    },
    [`${model}/publication/keys`]: {
      parameters: modelParams,
      get: op(
        'API keys (id, name, created, last 4 characters; never the key)',
        'inference.model.keys.manage',
        { '200': ok('Keys', items(anyObject)) },
      ),
      post: op(
        'Create an API key; the response is the only time the key is shown',
        'inference.model.keys.manage',
        { '201': ok('The new key', anyObject) },
        {
          requestBody: {
            required: true,
            ...json(ref('ApiKeyCreateRequest')),
          },
        },
      ),
    },
    [`${model}/publication/keys/{keyId}`]: {
      parameters: [...modelParams, keyId],
      delete: op('Revoke an API key', 'inference.model.keys.manage', {
        '204': ok('Revoked'),
      }),
    },
    [`${model}/publication/keys/{keyId}/rotate`]: {
      parameters: [...modelParams, keyId],
      post: op(
        'Rotate: a new key now, the old one revoked after the grace period',
        'inference.model.keys.manage',
        { '201': ok('The new key', anyObject) },
        {
          requestBody: {
            required: true,
            ...json(ref('ApiKeyRotateRequest')),
          },
        },
      ),
    },
  };
}

/** A model's rollout (Knative-mode models; plugins/inference-common/src/api/types.ts `RolloutStatus`). */
function rolloutPaths(model: string) {
  const rollout = `${model}/rollout`;
  const change = (summary: string, body?: string) =>
    op(
      summary,
      'inference.model.update',
      { '200': ok('RolloutResult: the changes and the rollout', anyObject) },
      {
        parameters: [dryRun],
        ...(body
          ? { requestBody: { required: true, ...json(ref(body)) } }
          : {}),
      },
    );
  return {
    [rollout]: {
      parameters: modelParams,
      get: op(
        "Where the model's rollout stands: phase, each version's share and readiness, and why; with usage configured each version's requests, error rate and latency over the rollout's window (or `usageUnavailable` saying why not), the automatic roll back asked for, and one that happened",
        'inference.model.read',
        { '200': ok('RolloutStatus', anyObject) },
      ),
      post: change(
        'Roll out a new version as a canary at a share of the traffic, optionally rolled back automatically when its error rate exceeds a threshold (`autoRollback`, which needs usage configured: 400 otherwise)',
        'RolloutRequest',
      ),
    },
    [`${rollout}/traffic`]: {
      parameters: modelParams,
      put: change(
        "Change the new version's share of the traffic",
        'RolloutTrafficRequest',
      ),
    },
    [`${rollout}/promote`]: {
      parameters: modelParams,
      post: change('Give the new version, which must be Ready, all traffic'),
    },
    [`${rollout}/rollback`]: {
      parameters: modelParams,
      post: change('All traffic back to the version that served before'),
    },
  };
}

const usageWindow = {
  name: 'window',
  in: 'query',
  required: false,
  schema: { type: 'string', enum: [...USAGE_WINDOWS], default: '24h' },
  description: 'The window the figures cover, ending now',
};
/** The usage routes' own error answers: no Prometheus configured, or Prometheus failing. */
const usageErrors = {
  '501': { $ref: '#/components/responses/UsageNotConfigured' },
  '503': { $ref: '#/components/responses/UsageUnavailable' },
};

/** Usage figures from Prometheus (plugins/inference-common/src/api/usage.ts has the types). */
function usagePaths(model: string) {
  const usage = (summary: string, schema: string) => {
    const operation = op(
      summary,
      'inference.model.read',
      { '200': ok(schema, anyObject) },
      { parameters: [usageWindow] },
    );
    return {
      ...operation,
      responses: { ...operation.responses, ...usageErrors },
    };
  };
  return {
    [`${model}/usage`]: {
      parameters: modelParams,
      get: usage(
        "The model's requests by status class, 429s, tokens, latency, series over time and per-key figures with the current rate-limit headroom",
        'ModelUsage',
      ),
    },
    '/usage/tenants': {
      get: usage(
        'Requests and tokens of every tenant the caller may read, per published model',
        '`{ items: TenantUsage[] }`',
      ),
    },
  };
}

/** Methods the router's per-user rate caps apply to (see ../createRouter.ts). */
const CAPPED_METHODS = ['post', 'put', 'patch', 'delete'];

/** Adds the 429 answer to every operation a rate cap applies to. */
function withRateCaps(
  paths: Record<string, Record<string, any>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => [
          method,
          CAPPED_METHODS.includes(method) && path !== '/openapi.json'
            ? {
                ...operation,
                responses: {
                  ...operation.responses,
                  '429': { $ref: '#/components/responses/TooManyRequests' },
                },
              }
            : operation,
        ]),
      ),
    ]),
  );
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(requestSchemas)) {
    schemas[name] = zodToJsonSchema(schema, {
      target: 'openApi3',
      $refStrategy: 'none',
    });
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'inference',
      version: '1',
      description:
        'Models (KServe InferenceServices), their publication through Envoy AI Gateway / Envoy Gateway, API keys, history and test invocations, per tenant. Mounted at /api/inference.',
    },
    servers: [{ url: '/api/inference' }],
    security: [{ backstageToken: [] }],
    paths: withRateCaps({
      ...collectionPaths(),
      ...modelPaths(MODEL),
      ...publicationPaths(MODEL),
      ...rolloutPaths(MODEL),
      ...usagePaths(MODEL),
    }),
    components: components(schemas),
  };
}
