import { ResponseError } from '@backstage/errors';
import type { ModelLocator, RolloutResult, RolloutStatus } from '../api/types';
import type { RolloutOperation } from '../schemas/rollout';
import type { InferenceApi, RequestOptions } from './types';

/** The two things a client needs from its environment: a base URL and a fetch. @public */
export interface InferenceClientOptions {
  /** Resolves the inference backend's base URL, e.g. `discoveryApi.getBaseUrl('inference')`. */
  getBaseUrl(): Promise<string>;
  /** A fetch that adds the user's credentials in the browser (`fetchApi.fetch`), or plain fetch. */
  fetch?: typeof fetch;
}

const modelPath = (m: ModelLocator) =>
  `/models/${encodeURIComponent(m.cluster)}/${encodeURIComponent(
    m.namespace,
  )}/${encodeURIComponent(m.name)}`;

/**
 * Typed client of the inference backend, shared by the frontend plugin (with the fetch API) and
 * the scaffolder actions (with a user's token from the auth service).
 * @public
 */
export class InferenceClient implements InferenceApi {
  private readonly getBaseUrl: () => Promise<string>;
  private readonly fetchImpl: typeof fetch;

  constructor(options: InferenceClientOptions) {
    this.getBaseUrl = options.getBaseUrl;
    this.fetchImpl = options.fetch ?? ((...args) => fetch(...args));
  }

  private async request<T>(
    method: string,
    path: string,
    options: RequestOptions & {
      body?: unknown;
      dryRun?: boolean;
      notFoundAsUndefined?: boolean;
    } = {},
  ): Promise<T> {
    const url = `${await this.getBaseUrl()}${path}${
      options.dryRun ? `${path.includes('?') ? '&' : '?'}dryRun=true` : ''
    }`;
    const response = await this.fetchImpl(url, {
      method,
      headers: {
        ...(options.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : {}),
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      },
      body:
        options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    if (options.notFoundAsUndefined && response.status === 404) {
      return undefined as T;
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async listTenants(options?: RequestOptions) {
    return (
      await this.request<{
        items: Awaited<ReturnType<InferenceApi['listTenants']>>;
      }>('GET', '/tenants', options)
    ).items;
  }

  async listModels(options?: RequestOptions) {
    return (
      await this.request<{
        items: Awaited<ReturnType<InferenceApi['listModels']>>;
      }>('GET', '/models', options)
    ).items;
  }

  getModel(model: ModelLocator, options?: RequestOptions) {
    return this.request<Awaited<ReturnType<InferenceApi['getModel']>>>(
      'GET',
      modelPath(model),
      options,
    );
  }

  createModel(
    target: Parameters<InferenceApi['createModel']>[0],
    options?: RequestOptions & { dryRun?: boolean },
  ) {
    return this.request<Awaited<ReturnType<InferenceApi['createModel']>>>(
      'POST',
      '/models',
      { ...options, body: target },
    );
  }

  updateModel(
    model: ModelLocator,
    spec: Parameters<InferenceApi['updateModel']>[1],
    options?: RequestOptions & { dryRun?: boolean },
  ) {
    return this.request<Awaited<ReturnType<InferenceApi['updateModel']>>>(
      'PUT',
      modelPath(model),
      { ...options, body: spec },
    );
  }

  async deleteModel(model: ModelLocator, options?: RequestOptions) {
    await this.request('DELETE', modelPath(model), options);
  }

  async listPublications(options?: RequestOptions) {
    return (
      await this.request<{
        items: Awaited<ReturnType<InferenceApi['listPublications']>>;
      }>('GET', '/publications', options)
    ).items;
  }

  getPublication(model: ModelLocator, options?: RequestOptions) {
    return this.request<Awaited<ReturnType<InferenceApi['getPublication']>>>(
      'GET',
      `${modelPath(model)}/publication`,
      {
        ...options,
        notFoundAsUndefined: true,
      },
    );
  }

  publish(
    model: ModelLocator,
    request: Parameters<InferenceApi['publish']>[1],
    options?: RequestOptions & { dryRun?: boolean },
  ) {
    return this.request<Awaited<ReturnType<InferenceApi['publish']>>>(
      'PUT',
      `${modelPath(model)}/publication`,
      { ...options, body: request },
    );
  }

  unpublish(
    model: ModelLocator,
    options?: RequestOptions & { dryRun?: boolean },
  ) {
    return this.request<Awaited<ReturnType<InferenceApi['unpublish']>>>(
      'DELETE',
      `${modelPath(model)}/publication`,
      options,
    );
  }

  getRollout(model: ModelLocator, options?: RequestOptions) {
    return this.request<RolloutStatus>(
      'GET',
      `${modelPath(model)}/rollout`,
      options,
    );
  }

  changeRollout(
    model: ModelLocator,
    operation: RolloutOperation,
    options?: RequestOptions & { dryRun?: boolean },
  ) {
    const rollout = `${modelPath(model)}/rollout`;
    const call = (method: string, path: string, body?: unknown) =>
      this.request<RolloutResult>(method, path, { ...options, body });
    switch (operation.action) {
      case 'start':
        return call('POST', rollout, operation.version);
      case 'traffic':
        return call('PUT', `${rollout}/traffic`, {
          canaryTrafficPercent: operation.canaryTrafficPercent,
        });
      default:
        return call('POST', `${rollout}/${operation.action}`);
    }
  }

  checkPublicationDrift(model: ModelLocator, options?: RequestOptions) {
    return this.request<
      Awaited<ReturnType<InferenceApi['checkPublicationDrift']>>
    >('POST', `${modelPath(model)}/publication/drift-check`, options);
  }

  reconcilePublication(model: ModelLocator, options?: RequestOptions) {
    return this.request<
      Awaited<ReturnType<InferenceApi['reconcilePublication']>>
    >('POST', `${modelPath(model)}/publication/reconcile`, options);
  }

  async listApiKeys(model: ModelLocator, options?: RequestOptions) {
    return (
      await this.request<{
        items: Awaited<ReturnType<InferenceApi['listApiKeys']>>;
      }>('GET', `${modelPath(model)}/publication/keys`, options)
    ).items;
  }

  createApiKey(model: ModelLocator, name: string, options?: RequestOptions) {
    return this.request<Awaited<ReturnType<InferenceApi['createApiKey']>>>(
      'POST',
      `${modelPath(model)}/publication/keys`,
      { ...options, body: { name } },
    );
  }

  rotateApiKey(
    model: ModelLocator,
    keyId: string,
    graceSeconds: number,
    options?: RequestOptions,
  ) {
    return this.request<Awaited<ReturnType<InferenceApi['rotateApiKey']>>>(
      'POST',
      `${modelPath(model)}/publication/keys/${encodeURIComponent(
        keyId,
      )}/rotate`,
      { ...options, body: { graceSeconds } },
    );
  }

  async revokeApiKey(
    model: ModelLocator,
    keyId: string,
    options?: RequestOptions,
  ) {
    await this.request(
      'DELETE',
      `${modelPath(model)}/publication/keys/${encodeURIComponent(keyId)}`,
      options,
    );
  }

  async getHistory(model: ModelLocator, options?: RequestOptions) {
    return (
      await this.request<{
        items: Awaited<ReturnType<InferenceApi['getHistory']>>;
      }>('GET', `${modelPath(model)}/history`, options)
    ).items;
  }

  testModel(
    model: ModelLocator,
    request: Parameters<InferenceApi['testModel']>[1],
    options?: RequestOptions,
  ) {
    return this.request<Awaited<ReturnType<InferenceApi['testModel']>>>(
      'POST',
      `${modelPath(model)}/test`,
      { ...options, body: request },
    );
  }

  async streamTestModel(
    model: ModelLocator,
    request: Parameters<InferenceApi['streamTestModel']>[1],
    onChunk: (data: string) => void,
    options?: RequestOptions,
  ) {
    const response = await this.fetchImpl(
      `${await this.getBaseUrl()}${modelPath(model)}/test`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'text/event-stream',
          ...(options?.token
            ? { Authorization: `Bearer ${options.token}` }
            : {}),
        },
        body: JSON.stringify({ ...request, stream: true }),
      },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (
      !(response.headers.get('content-type') ?? '').includes(
        'text/event-stream',
      ) ||
      !response.body
    ) {
      // A backend that answers in one piece: hand its events over in order.
      const result = (await response.json()) as Awaited<
        ReturnType<InferenceApi['testModel']>
      >;
      (result.chunks ?? []).forEach(onChunk);
      return result;
    }
    return readTestEventStream(response.body, onChunk);
  }

  getPlatformOverview(options?: RequestOptions) {
    return this.request<
      Awaited<ReturnType<InferenceApi['getPlatformOverview']>>
    >('GET', '/platform', options);
  }

  getModelUsage(
    model: ModelLocator,
    window: Parameters<InferenceApi['getModelUsage']>[1],
    options?: RequestOptions,
  ) {
    return this.request<Awaited<ReturnType<InferenceApi['getModelUsage']>>>(
      'GET',
      `${modelPath(model)}/usage?window=${encodeURIComponent(window)}`,
      options,
    );
  }

  async getTenantUsage(
    window: Parameters<InferenceApi['getTenantUsage']>[0],
    options?: RequestOptions,
  ) {
    type Items = Awaited<ReturnType<InferenceApi['getTenantUsage']>>;
    // Lists come as `{ items }` like the backend's other lists; a bare array is taken as it is.
    const body = await this.request<Items | { items: Items }>(
      'GET',
      `/usage/tenants?window=${encodeURIComponent(window)}`,
      options,
    );
    return Array.isArray(body) ? body : body.items;
  }
}

/** Reads the backend's relay (`chunk` events, then one `result` or `error`) as it arrives. */
async function readTestEventStream(
  body: ReadableStream<Uint8Array>,
  onChunk: (data: string) => void,
): Promise<Awaited<ReturnType<InferenceApi['testModel']>>> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffer += done ? '' : decoder.decode(value, { stream: true });
    let boundary = buffer.indexOf('\n\n');
    while (boundary >= 0) {
      const event = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const type = /^event: (.*)$/m.exec(event)?.[1];
      const data = event
        .split('\n')
        .filter(line => line.startsWith('data: '))
        .map(line => line.slice(6))
        .join('\n');
      if (type === 'chunk') onChunk(data);
      if (type === 'result') return JSON.parse(data);
      if (type === 'error') {
        const error = JSON.parse(data) as { name?: string; message?: string };
        throw Object.assign(
          new Error(error.message ?? 'The test invocation failed'),
          { name: error.name ?? 'Error' },
        );
      }
      boundary = buffer.indexOf('\n\n');
    }
    if (done) throw new Error('The stream ended without a result');
  }
}
