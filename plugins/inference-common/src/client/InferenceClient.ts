import { ResponseError } from '@backstage/errors';
import type { InferenceApi, ModelLocator, RequestOptions } from './types';

/** The two things a client needs from its environment: a base URL and a fetch. @public */
export interface InferenceClientOptions {
  /** Resolves the inference backend's base URL, e.g. `discoveryApi.getBaseUrl('inference')`. */
  getBaseUrl(): Promise<string>;
  /** A fetch that adds the user's credentials in the browser (`fetchApi.fetch`), or plain fetch. */
  fetch?: typeof fetch;
}

const modelPath = (m: ModelLocator) =>
  `/models/${encodeURIComponent(m.cluster)}/${encodeURIComponent(m.namespace)}/${encodeURIComponent(m.name)}`;

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
    options: RequestOptions & { body?: unknown; dryRun?: boolean; notFoundAsUndefined?: boolean } = {},
  ): Promise<T> {
    const url = `${await this.getBaseUrl()}${path}${options.dryRun ? `${path.includes('?') ? '&' : '?'}dryRun=true` : ''}`;
    const response = await this.fetchImpl(url, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
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
    return (await this.request<{ items: Awaited<ReturnType<InferenceApi['listTenants']>> }>('GET', '/tenants', options)).items;
  }

  async listModels(options?: RequestOptions) {
    return (await this.request<{ items: Awaited<ReturnType<InferenceApi['listModels']>> }>('GET', '/models', options)).items;
  }

  getModel(model: ModelLocator, options?: RequestOptions) {
    return this.request<Awaited<ReturnType<InferenceApi['getModel']>>>('GET', modelPath(model), options);
  }

  createModel(target: Parameters<InferenceApi['createModel']>[0], options?: RequestOptions & { dryRun?: boolean }) {
    return this.request<Awaited<ReturnType<InferenceApi['createModel']>>>('POST', '/models', { ...options, body: target });
  }

  updateModel(model: ModelLocator, spec: Parameters<InferenceApi['updateModel']>[1], options?: RequestOptions & { dryRun?: boolean }) {
    return this.request<Awaited<ReturnType<InferenceApi['updateModel']>>>('PUT', modelPath(model), { ...options, body: spec });
  }

  async deleteModel(model: ModelLocator, options?: RequestOptions) {
    await this.request('DELETE', modelPath(model), options);
  }

  async listPublications(options?: RequestOptions) {
    return (await this.request<{ items: Awaited<ReturnType<InferenceApi['listPublications']>> }>('GET', '/publications', options)).items;
  }

  getPublication(model: ModelLocator, options?: RequestOptions) {
    return this.request<Awaited<ReturnType<InferenceApi['getPublication']>>>('GET', `${modelPath(model)}/publication`, {
      ...options,
      notFoundAsUndefined: true,
    });
  }

  publish(model: ModelLocator, request: Parameters<InferenceApi['publish']>[1], options?: RequestOptions & { dryRun?: boolean }) {
    return this.request<Awaited<ReturnType<InferenceApi['publish']>>>('PUT', `${modelPath(model)}/publication`, { ...options, body: request });
  }

  unpublish(model: ModelLocator, options?: RequestOptions & { dryRun?: boolean }) {
    return this.request<Awaited<ReturnType<InferenceApi['unpublish']>>>('DELETE', `${modelPath(model)}/publication`, options);
  }

  async listApiKeys(model: ModelLocator, options?: RequestOptions) {
    return (await this.request<{ items: Awaited<ReturnType<InferenceApi['listApiKeys']>> }>('GET', `${modelPath(model)}/publication/keys`, options)).items;
  }

  createApiKey(model: ModelLocator, name: string, options?: RequestOptions) {
    return this.request<Awaited<ReturnType<InferenceApi['createApiKey']>>>('POST', `${modelPath(model)}/publication/keys`, { ...options, body: { name } });
  }

  rotateApiKey(model: ModelLocator, keyId: string, graceSeconds: number, options?: RequestOptions) {
    return this.request<Awaited<ReturnType<InferenceApi['rotateApiKey']>>>(
      'POST',
      `${modelPath(model)}/publication/keys/${encodeURIComponent(keyId)}/rotate`,
      { ...options, body: { graceSeconds } },
    );
  }

  async revokeApiKey(model: ModelLocator, keyId: string, options?: RequestOptions) {
    await this.request('DELETE', `${modelPath(model)}/publication/keys/${encodeURIComponent(keyId)}`, options);
  }

  async getHistory(model: ModelLocator, options?: RequestOptions) {
    return (await this.request<{ items: Awaited<ReturnType<InferenceApi['getHistory']>> }>('GET', `${modelPath(model)}/history`, options)).items;
  }

  testModel(model: ModelLocator, request: Parameters<InferenceApi['testModel']>[1], options?: RequestOptions) {
    return this.request<Awaited<ReturnType<InferenceApi['testModel']>>>('POST', `${modelPath(model)}/test`, { ...options, body: request });
  }
}
