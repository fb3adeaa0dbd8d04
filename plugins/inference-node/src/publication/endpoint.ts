import type { RecordedPublishRequest } from './readPublishRequest';

/**
 * Header the AI Gateway fills from the request body's `model`; OpenAI routes match on it.
 * @public
 */
export const MODEL_HEADER = 'x-ai-eg-model';

/**
 * The path a predictive model is published under on the gateway; the HTTPRoute rewrites it to `/`.
 * @public
 */
export function predictivePathPrefix(tenant: string, model: string): string {
  return `/models/${tenant}/${model}`;
}

/**
 * The endpoint users call: the gateway's OpenAI base for OpenAI-compatible models (the body's
 * `model` picks the route), or the model's own path prefix for predictive ones.
 * @public
 */
export function publicationEndpoint(
  tenant: string,
  model: string,
  request: Pick<RecordedPublishRequest, 'hostname' | 'modelType'>,
): string {
  return request.modelType === 'openai'
    ? `https://${request.hostname}/v1`
    : `https://${request.hostname}${predictivePathPrefix(tenant, model)}`;
}
