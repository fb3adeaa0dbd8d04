import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  inferenceModelTestPermission,
  ModelLocator,
  TestInvocationRequest,
  TestInvocationResult,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  KINDS,
  predictivePathPrefix,
  PUBLICATION_KINDS,
  ROUTE_KINDS,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { InferenceConfig } from '../config';
import type { ModelAccess } from '../permissions/ModelAccess';
import { detectModelType, openAiPathPrefix } from '../publication/build';
import type {
  LoadedModel,
  PublicationEngine,
} from '../publication/publicationEngine';
import type { CallContext } from '../requestContext';
import { invoke } from './invoke';
import { invocationPath } from './requestPaths';

/** Calls a model the way its users would, from the portal's test console. */
export interface TestInvocationService {
  /**
   * One test request, through the public gateway with the publication's newest key or to the
   * predictor in the cluster. The URL is always the backend's choice. With `onData`, a streamed
   * response's events are handed on as they arrive.
   */
  invoke(
    ctx: CallContext,
    model: ModelLocator,
    request: TestInvocationRequest,
    options?: { onData?: (data: string) => void },
  ): Promise<TestInvocationResult>;
}

/** Enough of a publication to call it: its key Secret and its route (name, hostname, type). */
const INVOCATION_KINDS = PUBLICATION_KINDS.filter(
  k => k.kind === KINDS.secret.kind || ROUTE_KINDS.has(k.kind),
);

/** The key a gateway call sends: the one asked for, the newest, or none when asked for none. */
function chooseKey(loaded: LoadedModel, request: TestInvocationRequest) {
  if (request.withoutApiKey) return undefined;
  const { keys } = loaded.current;
  if (request.apiKeyId !== undefined) {
    const key = keys.find(k => k.id === request.apiKeyId);
    if (!key)
      throw new InputError(
        `apiKeyId: the publication has no API key '${request.apiKeyId}'`,
      );
    return key;
  }
  const newest = keys[keys.length - 1];
  if (!newest)
    throw new ConflictError(
      'The publication has no API key; create one first, or send without a key',
    );
  return newest;
}

export function createTestInvocationService(deps: {
  config: InferenceConfig;
  access: ModelAccess;
  engine: PublicationEngine;
}): TestInvocationService {
  const { config } = deps;

  /** Where a gateway call goes and with which key; the body's model is the published name. */
  function throughGateway(loaded: LoadedModel, request: TestInvocationRequest) {
    const recorded = loaded.current.request;
    if (!recorded)
      throw new ConflictError(
        'The model is not published; test it in-cluster or publish it first',
      );
    const target = invocationPath({
      protocol: request.protocol,
      modelType: recorded.modelType,
      model: loaded.isvc.metadata.name,
      gatewayPrefix: predictivePathPrefix(
        loaded.tenant.name,
        loaded.isvc.metadata.name,
      ),
    });
    if (!config.gateway.invokeBaseUrl) {
      throw new ServiceUnavailableError(
        'No gateway URL for test calls is configured (inference.gateway.invokeBaseUrl)',
      );
    }
    const key = chooseKey(loaded, request);
    let body = request.body;
    if (recorded.modelType === 'openai' && body && typeof body === 'object') {
      // The gateway routes on the body's model: always the published name, whatever was typed.
      body = { ...(body as object), model: recorded.publicModelName };
    }
    return {
      baseUrl: config.gateway.invokeBaseUrl,
      target,
      // Every listener and route matches on the hostname, not on the address dialled.
      headers: {
        host: recorded.hostname,
        ...(key ? { 'x-api-key': key.value } : {}),
      },
      body,
    };
  }

  /** The predictor's in-cluster address, only if it is the one KServe gives this model. */
  function inCluster(loaded: LoadedModel, request: TestInvocationRequest) {
    const { name, namespace } = loaded.isvc.metadata;
    const address = loaded.isvc.status?.address?.url;
    const expectedHost = `${name}-predictor.${namespace}.svc.cluster.local`;
    if (!address || new URL(address).hostname !== expectedHost) {
      throw new InputError(
        `target: the model has no in-cluster address of the form http://${expectedHost}`,
      );
    }
    return {
      baseUrl: address,
      target: invocationPath({
        protocol: request.protocol,
        modelType:
          loaded.current.request?.modelType ?? detectModelType(loaded.isvc),
        model: name,
        openaiPrefix: openAiPathPrefix(loaded.isvc).replace(/\/v1$/, ''),
      }),
      headers: {},
      body: request.body,
    };
  }

  return {
    async invoke(ctx, model, request, options = {}) {
      const tenant = await deps.access.require(
        ctx.credentials,
        inferenceModelTestPermission,
        model,
      );
      const loaded = await deps.engine.load(tenant, model, INVOCATION_KINDS);
      const call =
        request.target === 'gateway'
          ? throughGateway(loaded, request)
          : inCluster(loaded, request);
      const { body } = call;
      return invoke({
        ...call,
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
