import {
  ANNOTATION_MODEL_TYPE,
  MODEL_TYPES,
  ModelType,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { InferenceServiceObject, KubeContainer } from '../../models/types';

/**
 * How a model is served, as far as publishing cares:
 * - `kserve-huggingface`: KServe's huggingface server, OpenAI API under `/openai/v1`;
 * - `openai-container`: a custom container speaking OpenAI under `/v1` (vLLM, TGI);
 * - `predictive`: KServe v1/v2 protocol.
 */
export type ServingFlavor =
  | 'kserve-huggingface'
  | 'openai-container'
  | 'predictive';

/**
 * Tasks of KServe's huggingface server that it serves through its OpenAI API. Generation tasks
 * serve completions and chat; `text_embedding` serves embeddings, also only on the OpenAI API.
 * Classification-style tasks (fill_mask, token_classification, sequence_classification) are
 * served on the v1/v2 protocol and are predictive.
 */
const OPENAI_TASKS = new Set([
  'text_generation',
  'text2text_generation',
  'text_embedding',
]);

/** Images whose servers speak the OpenAI API: vLLM and Hugging Face TGI. */
const OPENAI_IMAGES = [
  /(^|\/)vllm[^/]*(:|@|$)/,
  /vllm-openai/,
  /text-generation-inference/,
];

/** The value of `--flag=value` or `--flag value` in an argument list. */
export function argValue(
  args: readonly string[] | undefined,
  flag: string,
): string | undefined {
  if (!args) {
    return undefined;
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith(`${flag}=`)) {
      return arg.slice(flag.length + 1);
    }
    if (arg === flag && i + 1 < args.length && !args[i + 1].startsWith('--')) {
      return args[i + 1];
    }
  }
  return undefined;
}

function isHuggingFaceRuntime(isvc: InferenceServiceObject): boolean {
  const predictor = isvc.spec.predictor;
  const model = predictor.model;
  return (
    model?.modelFormat?.name?.toLowerCase() === 'huggingface' ||
    /huggingface/i.test(model?.runtime ?? '') ||
    // The deprecated per-framework field `spec.predictor.huggingface`.
    (typeof predictor.huggingface === 'object' &&
      predictor.huggingface !== null)
  );
}

function huggingFaceArgs(isvc: InferenceServiceObject): string[] | undefined {
  const predictor = isvc.spec.predictor;
  if (predictor.model?.args) {
    return predictor.model.args;
  }
  const legacy = predictor.huggingface as { args?: string[] } | undefined;
  return legacy?.args;
}

function servingContainers(
  isvc: InferenceServiceObject,
): Partial<KubeContainer>[] {
  const predictor = isvc.spec.predictor;
  return [
    ...(predictor.containers ?? []),
    ...(predictor.model ? [predictor.model] : []),
  ];
}

function runsOpenAiImage(isvc: InferenceServiceObject): boolean {
  return servingContainers(isvc).some(container =>
    OPENAI_IMAGES.some(pattern =>
      pattern.test(container.image?.toLowerCase() ?? ''),
    ),
  );
}

/**
 * Which serving flavour an InferenceService is, from its spec alone.
 *
 * KServe's huggingface server infers the task from the model's architecture when `--task` is
 * absent; for the models people serve with it (decoder LLMs, t5) that is a generation task, so a
 * missing `--task` counts as OpenAI. Classifiers must pass `--task`, as KServe's samples do.
 */
export function detectServingFlavor(
  isvc: InferenceServiceObject,
): ServingFlavor {
  if (isHuggingFaceRuntime(isvc)) {
    const task = argValue(huggingFaceArgs(isvc), '--task')
      ?.toLowerCase()
      .replace(/-/g, '_');
    return task === undefined || OPENAI_TASKS.has(task)
      ? 'kserve-huggingface'
      : 'predictive';
  }
  return runsOpenAiImage(isvc) ? 'openai-container' : 'predictive';
}

function annotatedModelType(
  isvc: InferenceServiceObject,
): ModelType | undefined {
  const value = isvc.metadata.annotations?.[ANNOTATION_MODEL_TYPE];
  return (MODEL_TYPES as readonly string[]).includes(value ?? '')
    ? (value as ModelType)
    : undefined;
}

/**
 * Whether a model is published as an OpenAI-compatible model or as a predictive (KServe v1/v2)
 * one. Precedence: the caller's override (the user's choice in the publish form), then the
 * `inference.platform.io/model-type` annotation on the InferenceService, then the spec.
 */
export function detectModelType(
  isvc: InferenceServiceObject,
  override?: ModelType,
): ModelType {
  const explicit = override ?? annotatedModelType(isvc);
  if (explicit) {
    return explicit;
  }
  return detectServingFlavor(isvc) === 'predictive' ? 'predictive' : 'openai';
}

/**
 * Path prefix of the OpenAI API on the predictor: KServe's huggingface server mounts it under
 * `/openai` (KSERVE_OPENAI_ROUTE_PREFIX), a plain vLLM/TGI server at the root. A model forced to
 * `openai` whose flavour is unknown is assumed to be a plain server.
 */
export function openAiPathPrefix(
  isvc: InferenceServiceObject,
): '/openai/v1' | '/v1' {
  return isHuggingFaceRuntime(isvc) ? '/openai/v1' : '/v1';
}

/**
 * The model name the predictor expects in the request body: `--model_name` for KServe's
 * huggingface server (default: the InferenceService name), `--served-model-name` or `--model`
 * for vLLM. When none is given, the InferenceService name.
 */
export function servedModelName(isvc: InferenceServiceObject): string {
  if (isHuggingFaceRuntime(isvc)) {
    return (
      argValue(huggingFaceArgs(isvc), '--model_name') ?? isvc.metadata.name
    );
  }
  for (const container of servingContainers(isvc)) {
    const name =
      argValue(container.args, '--served-model-name') ??
      argValue(container.args, '--model');
    if (name) {
      return name;
    }
  }
  return isvc.metadata.name;
}
