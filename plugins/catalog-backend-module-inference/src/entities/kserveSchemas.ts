import { ref, type Schema } from './openApiParts';

/** Request and response bodies of KServe v1 and v2 (Open Inference Protocol) inference. */
export const KSERVE_SCHEMAS: Record<string, Schema> = {
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
