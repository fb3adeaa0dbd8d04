import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  describeChanges,
  modelLocatorSchema,
  publishRequestSchema,
  testInvocationRequestSchema,
  USAGE_WINDOWS,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ApiKeyService } from '../apiKeys/ApiKeyService';
import type { ModelService } from '../models/ModelService';
import type { PublicationService } from '../publication/PublicationService';
import type { RolloutService } from '../rollouts/RolloutService';
import { actorOf, CallContext } from '../requestContext';
import type { TestInvocationService } from '../testInvocation/TestInvocationService';
import type { UsageService } from '../usage/UsageService';
import {
  apiKeyOutput,
  modelOutput,
  publicationOutput,
  usageOutput,
} from './actionOutputs';
import type { PublishPlanStore } from './PublishPlanStore';
import { registerRolloutActions } from './rolloutActions';

/**
 * The inference plugin's actions for AI agents (Backstage's actions registry, served over MCP by
 * the mcp-actions backend). Each runs as the calling user through the same services, and so the
 * same permission checks, as the REST API; history records name the action (`via`). No action
 * returns a key value: outputs are parsed through their schemas, which have no field for one.
 * Creating keys stays in the portal's UI. docs/architecture.md, "Agent actions".
 */
export function registerInferenceActions(deps: {
  actionsRegistry: ActionsRegistryService;
  models: ModelService;
  publications: PublicationService;
  apiKeys: ApiKeyService;
  rollouts: RolloutService;
  testInvocations: TestInvocationService;
  usage: UsageService;
  plans: PublishPlanStore;
  /** The cluster a model is on when the agent names none (the portal's first). */
  defaultCluster: string;
}) {
  const { actionsRegistry: registry, defaultCluster } = deps;
  /**
   * Only for a user: services pass every permission check a user would be refused, and an agent
   * acts for the person using it (the MCP backend calls with the user's on-behalf-of token), as
   * the REST routes accept users only.
   */
  const context = (
    credentials: BackstageCredentials,
    name: string,
  ): CallContext => {
    if ((credentials.principal as { type?: string }).type !== 'user')
      throw new NotAllowedError(
        `inference:${name} acts for a signed-in user only; call it with a user's token`,
      );
    return { credentials, via: `agent action inference:${name}` };
  };
  const model = () =>
    modelLocatorSchema.extend({
      cluster: modelLocatorSchema.shape.cluster
        .default(defaultCluster)
        .describe(`The cluster; "${defaultCluster}" when not given`),
    });

  registry.register({
    name: 'list-models',
    title: 'List inference models',
    description:
      'Lists the models (KServe InferenceServices) the user may see, with their readiness and whether they are published through the gateway. Filter by tenant or readiness.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            tenant: z
              .string()
              .max(253)
              .optional()
              .describe('Only this tenant (its name, e.g. "tenant-b")'),
            ready: z
              .boolean()
              .optional()
              .describe('Only models that are (true) or are not (false) Ready'),
          })
          .strict(),
      output: z => z.object({ models: z.array(modelOutput(z)) }),
    },
    examples: [
      {
        title: 'Models of one tenant that are not ready',
        input: { tenant: 'tenant-b', ready: false },
      },
    ],
    action: async ({ input, credentials }) => {
      const all = await deps.models.list(context(credentials, 'list-models'));
      return {
        output: {
          models: all.filter(
            m =>
              (input.tenant === undefined || m.tenant === input.tenant) &&
              (input.ready === undefined || m.status.ready === input.ready),
          ),
        },
      };
    },
  });

  registry.register({
    name: 'get-model',
    title: 'Get an inference model',
    description:
      'One model with its status, every condition (to explain why it is not Ready) and its publication (endpoint, auth, limits, API key metadata), or null when it is not published.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({ model: model() }).strict(),
      output: z =>
        z.object({
          model: modelOutput(z),
          publication: publicationOutput(z).nullable(),
        }),
    },
    examples: [
      {
        title: 'Why is my model not ready',
        input: {
          model: { cluster: 'local', namespace: 'tenant-b', name: 'iris' },
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const ctx = context(credentials, 'get-model');
      const found = await deps.models.get(ctx, input.model);
      const publication = found.published
        ? await deps.publications.get(ctx, input.model)
        : null;
      return { output: { model: found, publication } };
    },
  });

  registry.register({
    name: 'plan-publish',
    title: 'Plan publishing a model',
    description:
      'Previews publishing a model through the gateway (API-key auth, optional JWT, rate limits) without changing anything, and returns the objects that would change and a planId. Show the changes to the user; only `publish` with this planId applies them, within 15 minutes, and only if nothing changed meanwhile.',
    attributes: { readOnly: true },
    schema: {
      input: z =>
        z
          .object({
            model: model(),
            publication: publishRequestSchema.describe(
              'publicModelName, optional hostname, auth ({ apiKey: true, jwt }), limits ({ requestsPerMinute, requestsPerHour, tokensPerHour })',
            ),
          })
          .strict(),
      output: z =>
        z.object({
          planId: z.string(),
          expiresAt: z.string(),
          changes: z
            .array(z.string())
            .describe('e.g. "create SecurityPolicy tenant-b/iris-auth"'),
        }),
    },
    examples: [
      {
        title: 'Publish with 100 requests a minute',
        input: {
          model: { cluster: 'local', namespace: 'tenant-b', name: 'iris' },
          publication: {
            publicModelName: 'iris',
            auth: { apiKey: true },
            limits: { requestsPerMinute: 100 },
          },
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const ctx = context(credentials, 'plan-publish');
      const { result, fingerprint } = await deps.publications.plan(
        ctx,
        input.model,
        input.publication,
      );
      const plan = await deps.plans.save({
        model: input.model,
        actor: actorOf(credentials),
        request: input.publication,
        fingerprint,
      });
      return {
        output: {
          planId: plan.id,
          expiresAt: plan.expiresAt.toISOString(),
          changes: describeChanges(
            result.changes.filter(c => c.action !== 'unchanged'),
          ),
        },
      };
    },
  });

  registry.register({
    name: 'publish',
    title: 'Publish a model (after plan-publish)',
    description:
      'Applies a plan made by plan-publish: publishes exactly what was planned, once. Refused when there is no such plan of yours for this model, when it expired, or when the model or its publication changed since the plan (make and review a new plan then). Creates no API key; keys are created in the portal.',
    attributes: { destructive: false, idempotent: false },
    schema: {
      input: z =>
        z
          .object({
            model: model(),
            planId: z
              .string()
              .uuid()
              .describe('The planId plan-publish returned'),
          })
          .strict(),
      output: z =>
        z.object({
          endpoint: z.string(),
          publicModelName: z.string(),
          changes: z.array(z.string()),
        }),
    },
    action: async ({ input, credentials }) => {
      const ctx = context(credentials, 'publish');
      const plan = await deps.plans.take(
        input.planId,
        input.model,
        actorOf(credentials),
      );
      const result = await deps.publications.publishIfUnchanged(
        ctx,
        input.model,
        plan.request,
        plan.fingerprint,
      );
      return {
        output: {
          endpoint: result.publication?.endpoint ?? '',
          publicModelName: result.publication?.publicModelName ?? '',
          changes: describeChanges(
            result.changes.filter(c => c.action !== 'unchanged'),
          ),
        },
      };
    },
  });

  registry.register({
    name: 'list-api-keys',
    title: "List a publication's API keys",
    description:
      'The API keys of a published model: id, name, creation time, last four characters and expiry. Never the keys themselves; keys are created and shown once in the portal.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z => z.object({ model: model() }).strict(),
      output: z =>
        z.object({
          keys: z.array(apiKeyOutput(z)),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: {
        keys: await deps.apiKeys.list(
          context(credentials, 'list-api-keys'),
          input.model,
        ),
      },
    }),
  });

  registry.register({
    name: 'test-model',
    title: 'Send a test request to a model',
    description:
      'Sends one test request to a model, through the public gateway (target "gateway", with the publication\'s newest key, which is never shown) or to the predictor in the cluster (target "cluster"), and returns status, latency, body and token usage.',
    attributes: { readOnly: false, destructive: false },
    schema: {
      input: z =>
        z
          .object({ model: model(), request: testInvocationRequestSchema })
          .strict(),
      output: z =>
        z.object({
          status: z.number(),
          latencyMs: z.number(),
          body: z.unknown(),
          usage: z
            .object({
              promptTokens: z.number().optional(),
              completionTokens: z.number().optional(),
              totalTokens: z.number().optional(),
            })
            .optional(),
        }),
    },
    examples: [
      {
        title: 'A chat message through the gateway',
        input: {
          model: { cluster: 'local', namespace: 'tenant-b', name: 'qwen' },
          request: {
            protocol: 'openai-chat',
            target: 'gateway',
            body: { messages: [{ role: 'user', content: 'Hello' }] },
          },
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const result = await deps.testInvocations.invoke(
        context(credentials, 'test-model'),
        input.model,
        { ...input.request, stream: false },
      );
      return { output: result };
    },
  });

  registry.register({
    name: 'get-usage',
    title: "Get a model's usage",
    description:
      "Requests by status, 401s and 429s, tokens and latency of a model over the last hour, day or week, per API key with each key's rate-limit headroom, from Prometheus. Fails with a clear message when usage is not configured.",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            model: model(),
            window: z.enum(USAGE_WINDOWS).default('24h'),
          })
          .strict(),
      output: z => usageOutput(z),
    },
    action: async ({ input, credentials }) => ({
      output: await deps.usage.modelUsage(
        context(credentials, 'get-usage'),
        input.model,
        input.window,
      ),
    }),
  });

  registerRolloutActions({
    registry,
    rollouts: deps.rollouts,
    context,
    model,
  });
}
