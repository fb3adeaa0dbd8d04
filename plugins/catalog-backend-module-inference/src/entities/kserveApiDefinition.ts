import { type DefinitionInput, openApiDocument } from './openApiDocument';
import { getOperation, ok, postOperation, ref } from './openApiParts';
import { KSERVE_SCHEMAS } from './kserveSchemas';

/** KServe v1 and v2 inference on the model's public path prefix. */
export function kserveOpenApiDocument(
  input: DefinitionInput,
): Record<string, unknown> {
  const { model } = input;
  return openApiDocument(input, {
    version: 'v1-v2',
    about: `KServe v1 and v2 (Open Inference Protocol) inference for model \`${model}\`.`,
    bearerKeyAllowed: false,
    paths: {
      [`/v1/models/${model}`]: getOperation(
        'v1ModelStatus',
        'Whether the model is ready (KServe v1)',
        ok('Model status', ref('V1ModelStatus')),
      ),
      [`/v1/models/${model}:predict`]: postOperation(
        'v1Predict',
        'Predict (KServe v1)',
        'V1PredictRequest',
        ok('Predictions', ref('V1PredictResponse')),
      ),
      [`/v2/models/${model}`]: getOperation(
        'v2ModelMetadata',
        'Model metadata (Open Inference Protocol)',
        ok('Model metadata', ref('V2ModelMetadata')),
      ),
      [`/v2/models/${model}/ready`]: getOperation(
        'v2ModelReady',
        'Whether the model is ready (Open Inference Protocol)',
        { description: 'The model is ready' },
      ),
      [`/v2/models/${model}/infer`]: postOperation(
        'v2Infer',
        'Inference (Open Inference Protocol)',
        'V2InferRequest',
        ok('Output tensors', ref('V2InferResponse')),
      ),
    },
    schemas: KSERVE_SCHEMAS,
  });
}
