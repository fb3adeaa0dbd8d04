import { isPlainObject } from '../schema/structuralValidator';
import { classify, shortHash } from './mockText';
import { ModelRequestError } from './openaiApi';

/** KServe v1 and Open Inference Protocol (v2) endpoints of the mock model server. */

type Json = Record<string, unknown>;

/** v1 `:predict`: `{instances: [...]}` -> `{predictions: [...]}`. */
export function predictV1(body: Json): Json {
  if (!Array.isArray(body.instances)) {
    throw new ModelRequestError('"instances" must be an array');
  }
  return { predictions: body.instances.map(classify) };
}

interface V2Input {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
}

function parseV2Input(value: unknown, index: number): V2Input {
  if (
    !isPlainObject(value) ||
    !Array.isArray(value.shape) ||
    !Array.isArray(value.data) ||
    typeof value.datatype !== 'string'
  ) {
    throw new ModelRequestError(
      `inputs[${index}] must have name, shape, datatype and data`,
    );
  }
  return {
    name: String(value.name ?? `input-${index}`),
    shape: value.shape.map(Number),
    datatype: value.datatype,
    data: value.data.flat(Infinity),
  };
}

/**
 * v2 `/infer`: the first input tensor is read as rows of `shape[1]`
 * values; each row is classified like the v1 model.
 */
export function inferV2(modelName: string, body: Json): Json {
  if (!Array.isArray(body.inputs) || body.inputs.length === 0) {
    throw new ModelRequestError('"inputs" must be a non-empty array');
  }
  const input = parseV2Input(body.inputs[0], 0);
  const rows = input.shape[0] ?? 1;
  const width =
    input.shape.length > 1
      ? input.shape.slice(1).reduce((a, b) => a * b, 1)
      : input.data.length / rows;
  if (!Number.isInteger(width) || rows * width !== input.data.length) {
    throw new ModelRequestError(
      `inputs[0]: shape ${JSON.stringify(input.shape)} does not match ${
        input.data.length
      } values`,
    );
  }
  const predictions = Array.from({ length: rows }, (_, r) =>
    classify(input.data.slice(r * width, (r + 1) * width)),
  );
  return {
    model_name: modelName,
    model_version: '1',
    id: typeof body.id === 'string' ? body.id : shortHash(JSON.stringify(body)),
    outputs: [
      { name: 'output-0', shape: [rows], datatype: 'INT64', data: predictions },
    ],
  };
}

export function modelMetadataV2(modelName: string): Json {
  return {
    name: modelName,
    versions: ['1'],
    platform: 'kube-sandbox',
    inputs: [{ name: 'input-0', datatype: 'FP32', shape: [-1, 4] }],
    outputs: [{ name: 'output-0', datatype: 'INT64', shape: [-1] }],
  };
}
