import type { RecordedPublishRequest } from '@inference-in-a-box/backstage-plugin-inference-node';
import type { Schema } from './openApiParts';

/**
 * The frame of a published endpoint's OpenAPI document: server, rate limits and authentication
 * around the API's own paths and schemas. Authentication is what the publication's SecurityPolicy
 * enforces: an API key in `x-api-key` (or `Authorization: Bearer` for OpenAI SDKs when JWT is
 * off), plus a platform JWT when JWT is on.
 */

export interface DefinitionInput {
  title: string;
  /** The publication's endpoint: the OpenAPI server URL. */
  endpoint: string;
  /** The InferenceService name: the model name in KServe paths. */
  model: string;
  request: RecordedPublishRequest;
}

function describeLimits(request: RecordedPublishRequest): string {
  const { requestsPerMinute, requestsPerHour, tokensPerHour } = request.limits;
  const parts = [
    requestsPerMinute !== undefined &&
      `${requestsPerMinute} requests per minute`,
    requestsPerHour !== undefined && `${requestsPerHour} requests per hour`,
    tokensPerHour !== undefined && `${tokensPerHour} tokens per hour`,
  ].filter(Boolean);
  return parts.length > 0
    ? `Rate limits per API key: ${parts.join(', ')}.`
    : 'No rate limits.';
}

function security(request: RecordedPublishRequest, bearerKeyAllowed: boolean) {
  const securitySchemes: Record<string, Schema> = {
    apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
  };
  if (request.auth.jwt) {
    securitySchemes.jwt = {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    };
    // Both together: the key in x-api-key, the platform's JWT in Authorization.
    return { securitySchemes, security: [{ apiKey: [], jwt: [] }] };
  }
  if (bearerKeyAllowed) {
    securitySchemes.bearerApiKey = {
      type: 'http',
      scheme: 'bearer',
      description: 'The API key as a bearer token, as OpenAI SDKs send it',
    };
    return {
      securitySchemes,
      security: [{ apiKey: [] }, { bearerApiKey: [] }],
    };
  }
  return { securitySchemes, security: [{ apiKey: [] }] };
}

export function openApiDocument(
  input: DefinitionInput,
  api: {
    version: string;
    /** What the API is; the rate limits follow it in the description. */
    about: string;
    /** Whether the API key may come as a bearer token, when JWT does not take that header. */
    bearerKeyAllowed: boolean;
    paths: Record<string, unknown>;
    schemas: Record<string, Schema>;
  },
): Record<string, unknown> {
  const { request } = input;
  const { securitySchemes, security: requirements } = security(
    request,
    api.bearerKeyAllowed,
  );
  return {
    openapi: '3.0.3',
    info: {
      title: input.title,
      version: api.version,
      description: `${api.about} ${describeLimits(request)}`,
    },
    servers: [{ url: input.endpoint }],
    security: requirements,
    paths: api.paths,
    components: { securitySchemes, schemas: api.schemas },
  };
}
