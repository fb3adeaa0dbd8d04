import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import {
  apiKeyCreateSchema,
  apiKeyRotateSchema,
  modelSpecSchema,
  publishRequestSchema,
  testInvocationRequestSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ApiKeyService } from '../apiKeys/ApiKeyService';
import type { HistoryService } from '../history/HistoryService';
import type { ModelService } from '../models/ModelService';
import type { PlatformService } from '../platform/PlatformService';
import type { PublicationService } from '../publication/PublicationService';
import { addRolloutRoutes } from '../rollouts/rolloutRoutes';
import type { RolloutService } from '../rollouts/RolloutService';
import type { DriftService } from '../drift/DriftService';
import type { CallContext } from '../requestContext';
import type { TenantService } from '../tenants/TenantService';
import type { TestInvocationService } from '../testInvocation/TestInvocationService';
import { addUsageRoutes } from '../usage/usageRoutes';
import type { UsageService } from '../usage/UsageService';
import { buildOpenApiDocument } from './openapi/buildOpenApiDocument';
import {
  DEFAULT_RATE_CAPS,
  rateCapMiddleware,
  RateCapsConfig,
  RateLimiter,
} from './rateCaps';
import { relayTestStream } from './relayTestStream';
import { modelPathSchema, parseDryRun, parseInput } from './validation';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  models: ModelService;
  publications: PublicationService;
  rollouts: RolloutService;
  drift: DriftService;
  apiKeys: ApiKeyService;
  testInvocations: TestInvocationService;
  history: HistoryService;
  platform: PlatformService;
  tenants: TenantService;
  /** Usage from Prometheus (`GET …/usage`, `GET /usage/tenants`). */
  usage?: UsageService;
  defaultCluster: string;
  /** Per-user request caps; DEFAULT_RATE_CAPS when omitted. */
  rateCaps?: RateCapsConfig;
}

/** `POST /models/{cluster}/{namespace}/{name}/test`: capped on its own, not as a mutation. */
const TEST_INVOCATION_PATH = /^\/models\/[^/]+\/[^/]+\/[^/]+\/test\/?$/;
const MUTATING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Per-user rate caps (429 with Retry-After), before the body is parsed: test invocations in one
 * bucket, every other write in another. In memory per backend replica (see rateCaps.ts).
 */
function rateCaps(
  httpAuth: HttpAuthService,
  caps: RateCapsConfig,
): express.RequestHandler {
  const testCap = rateCapMiddleware({
    httpAuth,
    name: 'test invocation',
    limiter: new RateLimiter(caps.testInvocations),
  });
  const mutationCap = rateCapMiddleware({
    httpAuth,
    name: 'write',
    limiter: new RateLimiter(caps.mutations),
  });
  return (req, res, next) => {
    if (req.method === 'POST' && TEST_INVOCATION_PATH.test(req.path))
      return testCap(req, res, next);
    if (MUTATING_METHODS.has(req.method)) return mutationCap(req, res, next);
    return next();
  };
}

/** Request bodies above this are refused before parsing; no valid request comes close. */
export const MAX_BODY_BYTES = '256kb';

const createModelBodySchema = z
  .object({
    cluster: z.string().min(1).max(253).optional(),
    namespace: modelPathSchema.shape.namespace,
    spec: z.unknown(),
  })
  .strict();

const keyIdSchema = z.object({
  keyId: z
    .string()
    .regex(/^key-[0-9a-f]{12}$/, { message: 'is not an API key id' }),
});
/** The model a route's path names. */
const modelPath = (req: express.Request) =>
  parseInput(modelPathSchema, req.params);
const keyIdOf = (req: express.Request) =>
  parseInput(keyIdSchema, { keyId: req.params.keyId }).keyId;

/**
 * Routes only: parse and validate the input, get the caller's credentials, call a service, send the
 * result. Permission checks live in the services, on every call (see permissions/ModelAccess.ts).
 * The API is described by ../../openapi.yaml.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, models, publications, apiKeys, platform, tenants } =
    options;
  const router = Router();
  const openApiDocument = buildOpenApiDocument();
  router.use(rateCaps(httpAuth, options.rateCaps ?? DEFAULT_RATE_CAPS));
  router.use(express.json({ limit: MAX_BODY_BYTES }));

  const context = async (req: express.Request): Promise<CallContext> => ({
    credentials: await httpAuth.credentials(req, { allow: ['user'] }),
    request: req,
  });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });

  router.get('/platform', async (req, res) => {
    res.json({ clusters: await platform.overview(await context(req)) });
  });

  router.get('/tenants', async (req, res) => {
    res.json({ items: await tenants.list(await context(req)) });
  });

  router.get('/models', async (req, res) => {
    res.json({ items: await models.list(await context(req)) });
  });

  router.post('/models', async (req, res) => {
    const ctx = await context(req);
    const dryRun = parseDryRun(req.query);
    const body = parseInput(createModelBodySchema, req.body);
    const spec = parseInput(modelSpecSchema, body.spec, 'spec');
    const result = await models.create(
      ctx,
      {
        cluster: body.cluster ?? options.defaultCluster,
        namespace: body.namespace,
      },
      spec,
      { dryRun },
    );
    res.status(dryRun ? 200 : 201).json(result);
  });

  router.get('/models/:cluster/:namespace/:name', async (req, res) => {
    res.json(await models.get(await context(req), modelPath(req)));
  });

  router.put('/models/:cluster/:namespace/:name', async (req, res) => {
    const ctx = await context(req);
    const path = modelPath(req);
    const dryRun = parseDryRun(req.query);
    const spec = parseInput(modelSpecSchema, req.body);
    res.json(await models.update(ctx, path, spec, { dryRun }));
  });

  router.delete('/models/:cluster/:namespace/:name', async (req, res) => {
    await models.delete(await context(req), modelPath(req));
    res.status(204).end();
  });

  router.get('/publications', async (req, res) => {
    res.json({ items: await publications.list(await context(req)) });
  });

  const publication = '/models/:cluster/:namespace/:name/publication';

  router.get(publication, async (req, res) => {
    res.json(await publications.get(await context(req), modelPath(req)));
  });

  router.put(publication, async (req, res) => {
    const ctx = await context(req);
    const path = modelPath(req);
    const dryRun = parseDryRun(req.query);
    const request = parseInput(publishRequestSchema, req.body);
    res.json(await publications.publish(ctx, path, request, { dryRun }));
  });

  router.delete(publication, async (req, res) => {
    const ctx = await context(req);
    res.json(
      await publications.unpublish(ctx, modelPath(req), {
        dryRun: parseDryRun(req.query),
      }),
    );
  });

  router.get('/models/:cluster/:namespace/:name/history', async (req, res) => {
    res.json({
      items: await options.history.listForModel(
        await context(req),
        modelPath(req),
      ),
    });
  });

  router.post('/models/:cluster/:namespace/:name/test', async (req, res) => {
    const ctx = await context(req);
    const path = modelPath(req);
    const request = parseInput(testInvocationRequestSchema, req.body);
    if (
      !request.stream ||
      req.accepts(['application/json', 'text/event-stream']) !==
        'text/event-stream'
    ) {
      res.json(await options.testInvocations.invoke(ctx, path, request));
      return;
    }
    await relayTestStream(res, onData =>
      options.testInvocations.invoke(ctx, path, request, { onData }),
    );
  });

  router.post('/drift-check', async (req, res) => {
    res.json(await options.drift.checkAllAsAdmin(await context(req)));
  });

  router.post(`${publication}/drift-check`, async (req, res) => {
    res.json(await options.drift.check(await context(req), modelPath(req)));
  });

  router.post(`${publication}/reconcile`, async (req, res) => {
    res.json(await options.drift.reconcile(await context(req), modelPath(req)));
  });

  addApiKeyRoutes(router, apiKeys, context);
  addRolloutRoutes(router, options.rollouts, context);
  addUsageRoutes(router, options.usage, context);

  return router;
}

/**
 * The API-key routes of a publication. The create and rotate answers are the only responses that
 * ever carry a key: never cached, shown once.
 */
function addApiKeyRoutes(
  router: express.Router,
  apiKeys: ApiKeyService,
  context: (req: express.Request) => Promise<CallContext>,
) {
  const publication = '/models/:cluster/:namespace/:name/publication';
  router.get(`${publication}/keys`, async (req, res) => {
    res.json({
      items: await apiKeys.list(await context(req), modelPath(req)),
    });
  });

  router.post(`${publication}/keys`, async (req, res) => {
    const ctx = await context(req);
    const { name } = parseInput(apiKeyCreateSchema, req.body);
    res.set('Cache-Control', 'no-store');
    res.status(201).json(await apiKeys.create(ctx, modelPath(req), name));
  });

  router.post(`${publication}/keys/:keyId/rotate`, async (req, res) => {
    const ctx = await context(req);
    const { graceSeconds } = parseInput(apiKeyRotateSchema, req.body);
    res.set('Cache-Control', 'no-store');
    res
      .status(201)
      .json(
        await apiKeys.rotate(ctx, modelPath(req), keyIdOf(req), graceSeconds),
      );
  });

  router.delete(`${publication}/keys/:keyId`, async (req, res) => {
    await apiKeys.revoke(await context(req), modelPath(req), keyIdOf(req));
    res.status(204).end();
  });
}
