import type { RecordedPublishRequest } from '@internal/backstage-plugin-inference-backend';

/**
 * OpenAPI 3 documents of published endpoints, as the API entities' definitions: the KServe v1 and
 * v2 (Open Inference Protocol) routes of a predictive model, or the subset of the OpenAI API an
 * OpenAI-compatible model serves through the AI gateway. Authentication is what the publication's
 * SecurityPolicy enforces: an API key in `x-api-key` (or `Authorization: Bearer` for OpenAI SDKs
 * when JWT is off), plus a platform JWT when JWT is on.
 */

export interface DefinitionInput {
  title: string;
  /** The publication's endpoint: the OpenAPI server URL. */
  endpoint: string;
  /** The InferenceService name: the model name in KServe paths. */
  model: string;
  request: RecordedPublishRequest;
}

type Schema = Record<string, unknown>;

const json = (schema: Schema) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (description: string, schema: Schema) => ({
  description,
  content: json(schema),
});

/** Answers of the gateway that every operation can give. */
const GATEWAY_ERRORS = {
  '401': { description: 'Missing or invalid API key (or JWT)' },
  '429': { description: 'Rate limit of this API key exceeded' },
};

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

const KSERVE_SCHEMAS: Record<string, Schema> = {
  V1PredictRequest: {
    type: 'object',
    required: ['instances'],
    properties: { instances: { type: 'array', items: {} } },
    example: {
      instances: [
        [6.8, 2.8, 4.8, 1.4],
        [6.0, 3.4, 4.5, 1.6],
      ],
    },
  },
  V1PredictResponse: {
    type: 'object',
    required: ['predictions'],
    properties: { predictions: { type: 'array', items: {} } },
  },
  V1ModelStatus: {
    type: 'object',
    properties: { name: { type: 'string' }, ready: { type: 'boolean' } },
  },
  V2Tensor: {
    type: 'object',
    required: ['name', 'shape', 'datatype', 'data'],
    properties: {
      name: { type: 'string' },
      shape: { type: 'array', items: { type: 'integer' } },
      datatype: {
        type: 'string',
        enum: [
          'BOOL',
          'UINT8',
          'UINT16',
          'UINT32',
          'UINT64',
          'INT8',
          'INT16',
          'INT32',
          'INT64',
          'FP16',
          'FP32',
          'FP64',
          'BYTES',
        ],
      },
      parameters: { type: 'object', additionalProperties: true },
      data: { type: 'array', items: {} },
    },
  },
  V2InferRequest: {
    type: 'object',
    required: ['inputs'],
    properties: {
      id: { type: 'string' },
      parameters: { type: 'object', additionalProperties: true },
      inputs: { type: 'array', items: ref('V2Tensor') },
      outputs: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' } },
        },
      },
    },
    example: {
      inputs: [
        {
          name: 'input-0',
          shape: [2, 4],
          datatype: 'FP32',
          data: [6.8, 2.8, 4.8, 1.4, 6.0, 3.4, 4.5, 1.6],
        },
      ],
    },
  },
  V2InferResponse: {
    type: 'object',
    required: ['model_name', 'outputs'],
    properties: {
      model_name: { type: 'string' },
      model_version: { type: 'string' },
      id: { type: 'string' },
      outputs: { type: 'array', items: ref('V2Tensor') },
    },
  },
  V2ModelMetadata: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      versions: { type: 'array', items: { type: 'string' } },
      platform: { type: 'string' },
      inputs: { type: 'array', items: { type: 'object' } },
      outputs: { type: 'array', items: { type: 'object' } },
    },
  },
};

/** KServe v1 and v2 inference on the model's public path prefix. */
export function kserveOpenApiDocument(
  input: DefinitionInput,
): Record<string, unknown> {
  const { model, request } = input;
  const { securitySchemes, security: requirements } = security(request, false);
  return {
    openapi: '3.0.3',
    info: {
      title: input.title,
      version: 'v1-v2',
      description: `KServe v1 and v2 (Open Inference Protocol) inference for model \`${model}\`. ${describeLimits(
        request,
      )}`,
    },
    servers: [{ url: input.endpoint }],
    security: requirements,
    paths: {
      [`/v1/models/${model}`]: {
        get: {
          operationId: 'v1ModelStatus',
          summary: 'Whether the model is ready (KServe v1)',
          responses: {
            '200': ok('Model status', ref('V1ModelStatus')),
            ...GATEWAY_ERRORS,
          },
        },
      },
      [`/v1/models/${model}:predict`]: {
        post: {
          operationId: 'v1Predict',
          summary: 'Predict (KServe v1)',
          requestBody: {
            required: true,
            content: json(ref('V1PredictRequest')),
          },
          responses: {
            '200': ok('Predictions', ref('V1PredictResponse')),
            ...GATEWAY_ERRORS,
          },
        },
      },
      [`/v2/models/${model}`]: {
        get: {
          operationId: 'v2ModelMetadata',
          summary: 'Model metadata (Open Inference Protocol)',
          responses: {
            '200': ok('Model metadata', ref('V2ModelMetadata')),
            ...GATEWAY_ERRORS,
          },
        },
      },
      [`/v2/models/${model}/ready`]: {
        get: {
          operationId: 'v2ModelReady',
          summary: 'Whether the model is ready (Open Inference Protocol)',
          responses: {
            '200': { description: 'The model is ready' },
            ...GATEWAY_ERRORS,
          },
        },
      },
      [`/v2/models/${model}/infer`]: {
        post: {
          operationId: 'v2Infer',
          summary: 'Inference (Open Inference Protocol)',
          requestBody: { required: true, content: json(ref('V2InferRequest')) },
          responses: {
            '200': ok('Output tensors', ref('V2InferResponse')),
            ...GATEWAY_ERRORS,
          },
        },
      },
    },
    components: { securitySchemes, schemas: KSERVE_SCHEMAS },
  };
}

function openAiSchemas(publicModelName: string): Record<string, Schema> {
  const modelField = {
    type: 'string',
    enum: [publicModelName],
    description: 'The published model name; the gateway routes on it',
  };
  const usage = {
    type: 'object',
    properties: {
      prompt_tokens: { type: 'integer' },
      completion_tokens: { type: 'integer' },
      total_tokens: { type: 'integer' },
    },
  };
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
      usage,
    },
  });
  const sampling = {
    max_tokens: { type: 'integer', minimum: 1 },
    temperature: { type: 'number', minimum: 0, maximum: 2 },
    top_p: { type: 'number', minimum: 0, maximum: 1 },
    stop: {
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    },
    stream: {
      type: 'boolean',
      description: 'Send server-sent events as tokens are generated',
    },
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
      type: 'object',
      required: ['model', 'messages'],
      properties: {
        model: modelField,
        messages: { type: 'array', minItems: 1, items: ref('ChatMessage') },
        ...sampling,
      },
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
    CompletionRequest: {
      type: 'object',
      required: ['model', 'prompt'],
      properties: {
        model: modelField,
        prompt: {
          oneOf: [
            { type: 'string' },
            { type: 'array', items: { type: 'string' } },
          ],
        },
        ...sampling,
      },
    },
    Completion: completionResponse('text_completion', {
      text: { type: 'string' },
    }),
    EmbeddingRequest: {
      type: 'object',
      required: ['model', 'input'],
      properties: {
        model: modelField,
        input: {
          oneOf: [
            { type: 'string' },
            { type: 'array', items: { type: 'string' } },
          ],
        },
        encoding_format: { type: 'string', enum: ['float', 'base64'] },
      },
    },
    EmbeddingList: {
      type: 'object',
      required: ['object', 'data', 'model'],
      properties: {
        object: { type: 'string', enum: ['list'] },
        data: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              object: { type: 'string', enum: ['embedding'] },
              index: { type: 'integer' },
              embedding: { type: 'array', items: { type: 'number' } },
            },
          },
        },
        model: { type: 'string' },
        usage,
      },
    },
    ModelList: {
      type: 'object',
      required: ['object', 'data'],
      properties: {
        object: { type: 'string', enum: ['list'] },
        data: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              object: { type: 'string', enum: ['model'] },
              created: { type: 'integer' },
              owned_by: { type: 'string' },
            },
          },
        },
      },
    },
  };
}

/** The OpenAI API subset the AI gateway routes to an OpenAI-compatible model. */
export function openAiOpenApiDocument(
  input: DefinitionInput,
): Record<string, unknown> {
  const { request } = input;
  const { securitySchemes, security: requirements } = security(request, true);
  const post = (
    operationId: string,
    summary: string,
    body: string,
    answer: string,
  ) => ({
    post: {
      operationId,
      summary,
      requestBody: { required: true, content: json(ref(body)) },
      responses: {
        '200': {
          description: summary,
          content: {
            ...json(ref(answer)),
            ...(body === 'EmbeddingRequest'
              ? {}
              : { 'text/event-stream': { schema: { type: 'string' } } }),
          },
        },
        ...GATEWAY_ERRORS,
      },
    },
  });
  return {
    openapi: '3.0.3',
    info: {
      title: input.title,
      version: 'v1',
      description: `OpenAI-compatible API of model \`${
        request.publicModelName
      }\` (set it as \`model\` in every request). ${describeLimits(request)}`,
    },
    servers: [{ url: input.endpoint }],
    security: requirements,
    paths: {
      '/chat/completions': post(
        'createChatCompletion',
        'Chat completion',
        'ChatCompletionRequest',
        'ChatCompletion',
      ),
      '/completions': post(
        'createCompletion',
        'Text completion',
        'CompletionRequest',
        'Completion',
      ),
      '/embeddings': post(
        'createEmbedding',
        'Embeddings',
        'EmbeddingRequest',
        'EmbeddingList',
      ),
      '/models': {
        get: {
          operationId: 'listModels',
          summary: 'Models served on this endpoint',
          responses: {
            '200': ok('Models', ref('ModelList')),
            ...GATEWAY_ERRORS,
          },
        },
      },
    },
    components: {
      securitySchemes,
      schemas: openAiSchemas(request.publicModelName),
    },
  };
}
