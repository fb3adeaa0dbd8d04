import type { Entity } from '@backstage/catalog-model';
import { stringify } from 'yaml';
import type { DiscoveredModel, ModelPublication } from '../discovery/types';
import { kserveOpenApiDocument } from './kserveApiDefinition';
import { openAiOpenApiDocument } from './openAiApiDefinition';
import { modelAnnotations } from './buildModelEntity';

/**
 * The API entity of a published model: `openai` for OpenAI-compatible models (the OpenAI subset
 * the gateway serves), `openapi` for KServe v1/v2; either way the definition is an OpenAPI 3
 * document whose server is the publication's endpoint.
 */
export function buildApiEntity(options: {
  model: DiscoveredModel & { publication: ModelPublication };
  name: string;
  system: string;
  /** The Component that provides it, for the description. */
  providedBy: string;
}): Entity {
  const { model } = options;
  const { request, endpoint } = model.publication;
  const isvcName = model.isvc.metadata.name;
  const openai = request.modelType === 'openai';
  const title = `${isvcName} (${model.tenant.name}) ${
    openai ? 'OpenAI-compatible API' : 'KServe v1/v2 API'
  }`;
  const definitionInput = { title, endpoint, model: isvcName, request };
  const definition = openai
    ? openAiOpenApiDocument(definitionInput)
    : kserveOpenApiDocument(definitionInput);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: options.name,
      title,
      description: `Published endpoint of ${options.providedBy} at ${endpoint}${
        openai ? ` (model name \`${request.publicModelName}\`)` : ''
      }. Requires an API key${request.auth.jwt ? ' and a platform JWT' : ''}.`,
      tags: [openai ? 'openai' : 'kserve'],
      annotations: modelAnnotations(model),
      links: [{ url: endpoint, title: 'Endpoint' }],
    },
    spec: {
      type: openai ? 'openai' : 'openapi',
      lifecycle: 'production',
      owner: model.tenant.ref,
      system: options.system,
      definition: stringify(definition),
    },
  };
}
