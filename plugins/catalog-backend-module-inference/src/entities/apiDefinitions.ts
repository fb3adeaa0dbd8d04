/**
 * OpenAPI 3 documents of published endpoints, as the API entities' definitions: the KServe v1 and
 * v2 (Open Inference Protocol) routes of a predictive model, or the subset of the OpenAI API an
 * OpenAI-compatible model serves through the AI gateway.
 */

export type { DefinitionInput } from './openApiDocument';
export { kserveOpenApiDocument } from './kserveApiDefinition';
export { openAiOpenApiDocument } from './openAiApiDefinition';
