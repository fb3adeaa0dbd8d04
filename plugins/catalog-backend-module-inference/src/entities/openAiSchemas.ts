import { ref, type Schema } from './openApiParts';

/*
 * The yaml library writes an object that stands in several places of a definition once, with an
 * anchor, and as aliases after: USAGE, SAMPLING's fields and the model field are such shared
 * objects, the others are fresh in each place.
 */

/** A string or a list of strings; a fresh object on each call, so it is not written as an alias. */
const stringOrStrings = (): Schema => ({
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
});

const USAGE = {
  type: 'object',
  properties: {
    prompt_tokens: { type: 'integer' },
    completion_tokens: { type: 'integer' },
    total_tokens: { type: 'integer' },
  },
};

const SAMPLING = {
  max_tokens: { type: 'integer', minimum: 1 },
  temperature: { type: 'number', minimum: 0, maximum: 2 },
  top_p: { type: 'number', minimum: 0, maximum: 1 },
  stop: stringOrStrings(),
  stream: {
    type: 'boolean',
    description: 'Send server-sent events as tokens are generated',
  },
};

/** A request body: `model`, which the gateway routes on, required along with the operation's `input`. */
const modelRequest = (
  modelField: Schema,
  input: string,
  properties: Record<string, Schema>,
): Schema => ({
  type: 'object',
  required: ['model', input],
  properties: { model: modelField, ...properties },
});

/** Chat completions and completions answer alike but for the object name and the choice's payload. */
const completionResponse = (
  object: string,
  choice: Record<string, Schema>,
): Schema => ({
  type: 'object',
  required: ['id', 'object', 'created', 'model', 'choices'],
  properties: {
    id: { type: 'string' },
    object: { type: 'string', enum: [object] },
    created: { type: 'integer' },
    model: { type: 'string' },
    choices: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          ...choice,
          finish_reason: { type: 'string' },
        },
      },
    },
    usage: USAGE,
  },
});

/** OpenAI's list envelope around items of `itemProperties`, with any fields of the list's own. */
const listResponse = (
  itemProperties: Record<string, Schema>,
  ownRequired: string[] = [],
  ownProperties: Record<string, Schema> = {},
): Schema => ({
  type: 'object',
  required: ['object', 'data', ...ownRequired],
  properties: {
    object: { type: 'string', enum: ['list'] },
    data: {
      type: 'array',
      items: { type: 'object', properties: itemProperties },
    },
    ...ownProperties,
  },
});

/** Request and response bodies of the OpenAI API subset, for the model published as `publicModelName`. */
export function openAiSchemas(publicModelName: string): Record<string, Schema> {
  const modelField = {
    type: 'string',
    enum: [publicModelName],
    description: 'The published model name; the gateway routes on it',
  };
  return {
    ChatMessage: {
      type: 'object',
      required: ['role', 'content'],
      properties: {
        role: { type: 'string', enum: ['system', 'user', 'assistant'] },
        content: { type: 'string' },
      },
    },
    ChatCompletionRequest: {
      ...modelRequest(modelField, 'messages', {
        messages: { type: 'array', minItems: 1, items: ref('ChatMessage') },
        ...SAMPLING,
      }),
      example: {
        model: publicModelName,
        messages: [{ role: 'user', content: 'Hello!' }],
        max_tokens: 100,
        temperature: 0.7,
      },
    },
    ChatCompletion: completionResponse('chat.completion', {
      message: ref('ChatMessage'),
    }),
    CompletionRequest: modelRequest(modelField, 'prompt', {
      prompt: stringOrStrings(),
      ...SAMPLING,
    }),
    Completion: completionResponse('text_completion', {
      text: { type: 'string' },
    }),
    EmbeddingRequest: modelRequest(modelField, 'input', {
      input: stringOrStrings(),
      encoding_format: { type: 'string', enum: ['float', 'base64'] },
    }),
    EmbeddingList: listResponse(
      {
        object: { type: 'string', enum: ['embedding'] },
        index: { type: 'integer' },
        embedding: { type: 'array', items: { type: 'number' } },
      },
      ['model'],
      { model: { type: 'string' }, usage: USAGE },
    ),
    ModelList: listResponse({
      id: { type: 'string' },
      object: { type: 'string', enum: ['model'] },
      created: { type: 'integer' },
      owned_by: { type: 'string' },
    }),
  };
}
