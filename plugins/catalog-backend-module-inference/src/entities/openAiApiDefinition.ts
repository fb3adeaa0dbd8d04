import { type DefinitionInput, openApiDocument } from './openApiDocument';
import { getOperation, json, ok, postOperation, ref } from './openApiParts';
import { openAiSchemas } from './openAiSchemas';

/** Completions answer in JSON or, with `stream`, as server-sent events. */
const completionOperation = (
  operationId: string,
  summary: string,
  body: string,
  answer: string,
) =>
  postOperation(operationId, summary, body, {
    description: summary,
    content: {
      ...json(ref(answer)),
      'text/event-stream': { schema: { type: 'string' } },
    },
  });

/** The OpenAI API subset the AI gateway routes to an OpenAI-compatible model. */
export function openAiOpenApiDocument(
  input: DefinitionInput,
): Record<string, unknown> {
  const { publicModelName } = input.request;
  return openApiDocument(input, {
    version: 'v1',
    about: `OpenAI-compatible API of model \`${publicModelName}\` (set it as \`model\` in every request).`,
    bearerKeyAllowed: true,
    paths: {
      '/chat/completions': completionOperation(
        'createChatCompletion',
        'Chat completion',
        'ChatCompletionRequest',
        'ChatCompletion',
      ),
      '/completions': completionOperation(
        'createCompletion',
        'Text completion',
        'CompletionRequest',
        'Completion',
      ),
      '/embeddings': postOperation(
        'createEmbedding',
        'Embeddings',
        'EmbeddingRequest',
        ok('Embeddings', ref('EmbeddingList')),
      ),
      '/models': getOperation(
        'listModels',
        'Models served on this endpoint',
        ok('Models', ref('ModelList')),
      ),
    },
    schemas: openAiSchemas(publicModelName),
  });
}
