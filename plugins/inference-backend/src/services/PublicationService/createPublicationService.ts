import type { AuditorService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  inferenceModelKeysManagePermission,
  inferenceModelPublishPermission,
  inferenceModelReadPermission,
  inferenceModelTestPermission,
  LABEL_MANAGED_BY,
  LABEL_MODEL,
  MANAGED_BY_PORTAL,
  ModelType,
  publicationId,
  PublishRequest,
} from '@internal/backstage-plugin-inference-common';
import {
  ApiKeyMaterial,
  describeKey,
  generateApiKey,
} from '../../apiKeys/apiKeys';
import { ClusterFailureError } from '../../cluster/errors';
import type { ClusterRegistry } from '../../cluster/ClusterRegistry';
import type { KubeObject } from '../../cluster/types';
import type { InferenceConfig } from '../../config';
import type { HistoryStore } from '../../history/HistoryStore';
import { CallContext, recordMutation } from '../../history/recordMutation';
import type { InferenceServiceObject } from '../../models/types';
import type {
  ModelAccess,
  ModelCoordinates,
} from '../../permissions/ModelAccess';
import {
  buildPublicationObjects,
  detectModelType,
  openAiPathPrefix,
  planChanges,
  validateCelRules,
} from '../../publication';
import { predictivePathPrefix } from '../../publication/buildRouteObjects';
import { RequestValidationError } from '../../service/validation';
import { invoke } from '../../testInvocation/invoke';
import { invocationPath } from '../../testInvocation/requestPaths';
import type { Tenant, TenantDirectory } from '../../tenants/TenantDirectory';
import {
  INFERENCE_SERVICE_API_VERSION,
  INFERENCE_SERVICE_KIND,
} from '../ModelService/createModelService';
import { applyPublication } from './applyPublication';
import {
  INVOCATION_KINDS,
  listPublicationObjects,
  PUBLICATION_KINDS,
} from './publicationKinds';
import {
  PublicationState,
  readPublicationState,
  RecordedRequest,
  summarizePublication,
} from './publicationState';
import type { PublicationService } from './types';

interface Loaded {
  tenant: Tenant;
  isvc: InferenceServiceObject;
  state: PublicationState;
}

export function createPublicationService(deps: {
  config: InferenceConfig;
  clusters: ClusterRegistry;
  tenants: TenantDirectory;
  access: ModelAccess;
  history: HistoryStore;
  auditor: AuditorService;
  events?: EventsService;
}): PublicationService {
  const { config, clusters, tenants, access } = deps;

  async function load(
    tenant: Tenant,
    model: ModelCoordinates,
    kinds: Parameters<typeof listPublicationObjects>[3] = PUBLICATION_KINDS,
  ): Promise<Loaded> {
    const cluster = clusters.get(model.cluster);
    const [isvc, objects] = await Promise.all([
      cluster.get<InferenceServiceObject>({
        apiVersion: INFERENCE_SERVICE_API_VERSION,
        kind: INFERENCE_SERVICE_KIND,
        namespace: model.namespace,
        name: model.name,
      }),
      listPublicationObjects(
        cluster,
        model.namespace,
        { tenant: tenant.name, model: model.name },
        kinds,
      ),
    ]);
    if (!isvc) {
      throw new NotFoundError(
        `Model '${model.name}' does not exist in namespace '${model.namespace}'`,
      );
    }
    return { tenant, isvc, state: readPublicationState(objects) };
  }

  function requirePublished(
    loaded: Loaded,
    model: ModelCoordinates,
  ): RecordedRequest {
    if (!loaded.state.request) {
      throw new NotFoundError(`Model '${model.name}' is not published`);
    }
    return loaded.state.request;
  }

  function checkLimits(request: PublishRequest) {
    const problems = Object.entries(config.publishing.maxLimits).flatMap(
      ([field, max]) => {
        const value = request.limits[field as keyof PublishRequest['limits']];
        return max !== undefined && value !== undefined && value > max
          ? [
              {
                field: `limits.${field}`,
                message: `must be at most ${max.toLocaleString(
                  'en-US',
                )} on this platform`,
              },
            ]
          : [];
      },
    );
    if (problems.length > 0) throw new RequestValidationError(problems);
  }

  /** The public model name routes by the body's `model`: two OpenAI publications on one host must differ. */
  async function checkPublicNameFree(
    tenant: Tenant,
    model: string,
    request: RecordedRequest,
  ) {
    if (request.modelType !== 'openai') return;
    const all = await tenants.list();
    const tenantNamespaces = new Set(
      all.filter(t => t.cluster === tenant.cluster).map(t => t.namespace),
    );
    const cluster = clusters.get(tenant.cluster);
    const selector = {
      labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY_PORTAL}`,
    };
    const route = {
      apiVersion: 'aigateway.envoyproxy.io/v1beta1',
      kind: 'AIGatewayRoute',
    };
    let routes: KubeObject[];
    try {
      // One cluster-wide list (configs/portal grants list on this kind cluster-wide)...
      routes = (
        await cluster.list(route.apiVersion, route.kind, selector)
      ).filter(r => tenantNamespaces.has(r.metadata.namespace ?? ''));
    } catch (error) {
      // ...or one per tenant namespace where the portal may only read its tenants' namespaces.
      if (!(error instanceof ClusterFailureError && error.statusCode === 403))
        throw error;
      routes = (
        await Promise.all(
          [...tenantNamespaces].map(namespace =>
            cluster.list(route.apiVersion, route.kind, {
              ...selector,
              namespace,
            }),
          ),
        )
      ).flat();
    }
    const ownId = publicationId(tenant.name, model);
    for (const existing of routes) {
      const other = readPublicationState([existing]).request;
      const sameHost =
        other?.hostname.toLowerCase() === request.hostname.toLowerCase();
      const isSelf =
        existing.metadata.namespace === tenant.namespace &&
        existing.metadata.name === ownId;
      if (
        !isSelf &&
        sameHost &&
        other?.publicModelName === request.publicModelName
      ) {
        throw new ConflictError(
          `publicModelName: '${request.publicModelName}' is already published on ${request.hostname}; choose another name`,
        );
      }
    }
  }

  function desiredObjects(
    loaded: Loaded,
    request: PublishRequest,
    modelType: ModelType,
    keys: ApiKeyMaterial[],
  ): KubeObject[] {
    const objects = buildPublicationObjects({
      tenant: loaded.tenant.name,
      namespace: loaded.tenant.namespace,
      model: { name: loaded.isvc.metadata.name, isvc: loaded.isvc },
      request,
      modelType,
      platform: {
        gatewayName: config.gateway.name,
        gatewayNamespace: config.gateway.namespace,
        defaultHostname: config.publishing.defaultHostname,
        allowedHostnames: config.publishing.allowedHostnames,
        gatewayPrincipals: [config.gateway.principal],
        jwt: config.publishing.jwt,
      },
      apiKeys: keys,
    });
    const violations = validateCelRules(objects);
    if (violations.length > 0) {
      // The builders produced something the cluster's CEL rules would reject: a bug, not bad input.
      throw new Error(
        `Generated publication breaks CRD rules: ${violations
          .map(v => v.message)
          .join('; ')}`,
      );
    }
    return objects;
  }

  /** Plans and (unless dryRun) applies a publication with the given request and keys. */
  async function converge(
    ctx: CallContext,
    loaded: Loaded,
    request: PublishRequest,
    modelType: ModelType,
    keys: ApiKeyMaterial[],
    options: {
      dryRun: boolean;
      action:
        | 'publication.publish'
        | 'apikey.create'
        | 'apikey.revoke'
        | 'apikey.rotate';
      summary?: string;
    },
  ) {
    const { tenant, isvc, state } = loaded;
    const desired = desiredObjects(loaded, request, modelType, keys);
    const cluster = clusters.get(tenant.cluster);
    // Compare with what the cluster would store (defaults filled in), as `kubectl diff` does, so
    // server defaults never show up as changes and an identical publish writes nothing.
    // Objects that do not exist yet are created whatever the server would default, so only existing
    // ones need the round trip (a first publish plans without any).
    const existing = new Set(
      state.objects.map(o => `${o.kind}/${o.metadata.name}`),
    );
    const projected = await Promise.all(
      desired.map(o =>
        existing.has(`${o.kind}/${o.metadata.name}`)
          ? cluster.apply(o, { dryRun: true, force: true })
          : o,
      ),
    );
    const changes = planChanges(state.objects, projected);
    if (options.dryRun) {
      return { dryRun: true, changes };
    }
    await recordMutation(
      deps,
      ctx,
      {
        action: options.action,
        tenant: tenant.name,
        cluster: tenant.cluster,
        namespace: tenant.namespace,
        model: isvc.metadata.name,
      },
      async () => {
        await applyPublication(cluster, state.objects, desired, changes);
        const changed = changes.filter(c => c.action !== 'unchanged');
        return {
          result: undefined,
          changes: changed,
          summary:
            options.summary ??
            (changed.length === 0
              ? 'no changes'
              : `${changed.length} object(s) changed`),
        };
      },
    );
    return {
      dryRun: false,
      changes,
      // What was just applied is what the cluster now holds.
      publication: summarizePublication(
        tenant,
        isvc.metadata.name,
        readPublicationState(desired),
        publicationId(tenant.name, isvc.metadata.name),
      ),
    };
  }

  /** Re-applies an existing publication with a different key set (only the Secret changes). */
  async function withKeys(
    ctx: CallContext,
    loaded: Loaded,
    model: ModelCoordinates,
    keys: ApiKeyMaterial[],
    action: 'apikey.create' | 'apikey.revoke' | 'apikey.rotate',
    summary: string,
  ) {
    const recorded = requirePublished(loaded, model);
    const request: PublishRequest = {
      publicModelName: recorded.publicModelName,
      hostname: recorded.hostname,
      auth: recorded.auth,
      limits: recorded.limits,
    };
    await converge(ctx, loaded, request, recorded.modelType, keys, {
      dryRun: false,
      action,
      summary,
    });
  }

  return {
    async list(ctx) {
      const readable = await access.tenantsAllowed(
        ctx.credentials,
        inferenceModelReadPermission,
      );
      const perTenant = await Promise.all(
        readable.map(async tenant => {
          const objects = await listPublicationObjects(
            clusters.get(tenant.cluster),
            tenant.namespace,
            { tenant: tenant.name },
          );
          const byModel = new Map<string, KubeObject[]>();
          for (const object of objects) {
            const model = object.metadata.labels?.[LABEL_MODEL];
            if (model)
              byModel.set(model, [...(byModel.get(model) ?? []), object]);
          }
          return [...byModel].flatMap(([model, modelObjects]) => {
            const summary = summarizePublication(
              tenant,
              model,
              readPublicationState(modelObjects),
              publicationId(tenant.name, model),
            );
            return summary ? [summary] : [];
          });
        }),
      );
      return perTenant
        .flat()
        .sort(
          (a, b) =>
            a.namespace.localeCompare(b.namespace) ||
            a.model.localeCompare(b.model),
        );
    },

    async get(ctx, model) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      const loaded = await load(tenant, model);
      requirePublished(loaded, model);
      return summarizePublication(
        tenant,
        model.name,
        loaded.state,
        publicationId(tenant.name, model.name),
      )!;
    },

    async publish(ctx, model, request, options) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelPublishPermission,
        model,
      );
      checkLimits(request);
      const loaded = await load(tenant, model);
      const modelType = detectModelType(loaded.isvc, request.modelType);
      const previous = loaded.state.request?.modelType;
      if (previous && previous !== modelType && !request.modelType) {
        throw new ConflictError(
          `modelType: the model is published as ${previous} but now looks ${modelType}; set modelType explicitly to change how it is published`,
        );
      }
      const hostname = request.hostname ?? config.publishing.defaultHostname;
      await checkPublicNameFree(tenant, model.name, {
        publicModelName: request.publicModelName,
        hostname,
        modelType,
        auth: { apiKey: true, jwt: request.auth.jwt ?? false },
        limits: request.limits,
      });
      return converge(ctx, loaded, request, modelType, loaded.state.keys, {
        dryRun: options.dryRun,
        action: 'publication.publish',
      });
    },

    async unpublish(ctx, model, options) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelPublishPermission,
        model,
      );
      const loaded = await load(tenant, model);
      if (loaded.state.objects.length === 0) {
        throw new NotFoundError(`Model '${model.name}' is not published`);
      }
      const changes = planChanges(loaded.state.objects, []);
      if (options.dryRun) return { dryRun: true, changes };
      await recordMutation(
        deps,
        ctx,
        {
          action: 'publication.unpublish',
          tenant: tenant.name,
          cluster: model.cluster,
          namespace: model.namespace,
          model: model.name,
        },
        async () => {
          await applyPublication(
            clusters.get(model.cluster),
            loaded.state.objects,
            [],
            changes,
          );
          return {
            result: undefined,
            changes,
            summary: `${changes.length} object(s) deleted`,
          };
        },
      );
      return { dryRun: false, changes };
    },

    async listKeys(ctx, model) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelKeysManagePermission,
        model,
      );
      const loaded = await load(tenant, model);
      requirePublished(loaded, model);
      return loaded.state.keys.map(describeKey);
    },

    async createKey(ctx, model, name) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelKeysManagePermission,
        model,
      );
      const loaded = await load(tenant, model);
      if (loaded.state.keys.some(k => k.name === name)) {
        throw new ConflictError(`name: a key named '${name}' already exists`);
      }
      const key = generateApiKey(name);
      await withKeys(
        ctx,
        loaded,
        model,
        [...loaded.state.keys, key],
        'apikey.create',
        `key ${key.id} (${name}) created`,
      );
      return { ...describeKey(key), key: key.value };
    },

    async revokeKey(ctx, model, keyId) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelKeysManagePermission,
        model,
      );
      const loaded = await load(tenant, model);
      if (!loaded.state.keys.some(k => k.id === keyId)) {
        throw new NotFoundError(`No API key '${keyId}' in this publication`);
      }
      await withKeys(
        ctx,
        loaded,
        model,
        loaded.state.keys.filter(k => k.id !== keyId),
        'apikey.revoke',
        `key ${keyId} revoked`,
      );
    },

    async rotateKey(ctx, model, keyId, graceSeconds) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelKeysManagePermission,
        model,
      );
      const loaded = await load(tenant, model);
      const old = loaded.state.keys.find(k => k.id === keyId);
      if (!old) {
        throw new NotFoundError(`No API key '${keyId}' in this publication`);
      }
      const key = generateApiKey(
        old.name.length > 56 ? old.name.slice(0, 56) : old.name,
      );
      const expiresAt = new Date(
        Date.now() + graceSeconds * 1000,
      ).toISOString();
      // The old key stays until its grace period ends (then expireKeys removes it); 0 drops it now.
      const others = loaded.state.keys.filter(k => k.id !== keyId);
      const keys = [
        ...others,
        ...(graceSeconds > 0 ? [{ ...old, expiresAt }] : []),
        key,
      ];
      await withKeys(
        ctx,
        loaded,
        model,
        keys,
        'apikey.rotate',
        `key ${keyId} rotated to ${key.id}; old key valid for ${graceSeconds} s`,
      );
      return { ...describeKey(key), key: key.value };
    },

    async expireKeys(ctx) {
      let expired = 0;
      for (const tenant of await tenants.list()) {
        const cluster = clusters.get(tenant.cluster);
        const secrets = await cluster.list('v1', 'Secret', {
          namespace: tenant.namespace,
          labelSelector: `${LABEL_MANAGED_BY}=${MANAGED_BY_PORTAL}`,
        });
        for (const secret of secrets) {
          const model = secret.metadata.labels?.['inference.platform.io/model'];
          if (!model) continue;
          const loaded = await load(tenant, {
            cluster: tenant.cluster,
            namespace: tenant.namespace,
            name: model,
          }).catch(() => undefined);
          const all =
            loaded &&
            readPublicationState(loaded.state.objects, new Date(0)).keys;
          if (!loaded || !all || all.length === loaded.state.keys.length)
            continue;
          expired += all.length - loaded.state.keys.length;
          await withKeys(
            ctx,
            loaded,
            {
              cluster: tenant.cluster,
              namespace: tenant.namespace,
              name: model,
            },
            loaded.state.keys,
            'apikey.revoke',
            'grace period of a rotated key ended',
          );
        }
      }
      return expired;
    },

    async history(ctx, model) {
      await access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      return deps.history.listForModel({
        cluster: model.cluster,
        namespace: model.namespace,
        model: model.name,
      });
    },

    async test(ctx, model, request, options = {}) {
      const tenant = await access.require(
        ctx.credentials,
        inferenceModelTestPermission,
        model,
      );
      const loaded = await load(tenant, model, INVOCATION_KINDS);
      const recorded = loaded.state.request;
      const modelType = recorded?.modelType ?? detectModelType(loaded.isvc);
      let body = request.body;
      if (request.target === 'gateway') {
        if (!recorded)
          throw new ConflictError(
            'The model is not published; test it in-cluster or publish it first',
          );
        const target = invocationPath({
          protocol: request.protocol,
          modelType,
          model: model.name,
          gatewayPrefix: predictivePathPrefix(tenant.name, model.name),
        });
        if (!config.gateway.invokeBaseUrl) {
          throw new ServiceUnavailableError(
            'No gateway URL for test calls is configured (inference.gateway.invokeBaseUrl)',
          );
        }
        const key = loaded.state.keys[loaded.state.keys.length - 1];
        if (!key)
          throw new ConflictError(
            'The publication has no API key; create one first',
          );
        if (modelType === 'openai' && body && typeof body === 'object') {
          // The gateway routes on the body's model: always the published name, whatever was typed.
          body = { ...(body as object), model: recorded.publicModelName };
        }
        return invoke({
          baseUrl: config.gateway.invokeBaseUrl,
          target,
          headers: { 'x-api-key': key.value },
          body:
            request.stream && body && typeof body === 'object'
              ? { ...(body as object), stream: true }
              : body,
          stream: request.stream,
          onData: options.onData,
        });
      }
      const address = loaded.isvc.status?.address?.url;
      const expectedHost = `${model.name}-predictor.${model.namespace}.svc.cluster.local`;
      if (!address || new URL(address).hostname !== expectedHost) {
        throw new InputError(
          `target: the model has no in-cluster address of the form http://${expectedHost}`,
        );
      }
      return invoke({
        baseUrl: address,
        target: invocationPath({
          protocol: request.protocol,
          modelType,
          model: model.name,
          openaiPrefix: openAiPathPrefix(loaded.isvc).replace(/\/v1$/, ''),
        }),
        headers: {},
        body:
          request.stream && body && typeof body === 'object'
            ? { ...(body as object), stream: true }
            : body,
        stream: request.stream,
        onData: options.onData,
      });
    },
  };
}
