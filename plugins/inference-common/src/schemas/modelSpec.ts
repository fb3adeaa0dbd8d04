import { z } from 'zod/v3';
import { MODEL_TYPES } from '../entities';
import { boundedInt, dnsLabel, plainText, safeString } from './primitives';
import { QUANTITY_PATTERN, quantityValue } from './quantity';

/** Frameworks the model form offers; `custom-openai` is a custom container serving an OpenAI API (e.g. vLLM). @public */
export const MODEL_FRAMEWORKS = [
  'sklearn',
  'xgboost',
  'lightgbm',
  'tensorflow',
  'pytorch',
  'onnx',
  'huggingface',
  'custom-openai',
] as const;
/** @public */
export type ModelFramework = (typeof MODEL_FRAMEWORKS)[number];

/** URI schemes KServe's storage initializer can fetch from; `file:` and anything else is refused. @public */
export const STORAGE_URI_SCHEMES = [
  'gs',
  's3',
  'hf',
  'pvc',
  'https',
  'oci',
] as const;

/** @public */
export const SCALE_METRICS = ['concurrency', 'rps', 'cpu', 'memory'] as const;
/** @public */
export const DEPLOYMENT_MODES = ['Standard', 'Knative'] as const;

/**
 * KServe derives object names from the InferenceService name (`<name>-predictor`, and in Knative
 * mode revisions `<name>-predictor-00001`), and several of those must be 63-character DNS labels.
 * 45 leaves room for the longest suffixes.
 * @public
 */
export const MAX_MODEL_NAME_LENGTH = 45;

const STORAGE_URI = new RegExp(
  `^(${STORAGE_URI_SCHEMES.join('|')})://[^\\s]+$`,
);
/** An OCI image reference: registry[:port]/path[:tag][@sha256:digest]. */
const IMAGE_REFERENCE =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

const quantity = () =>
  safeString()
    .max(32, { message: 'must be at most 32 characters' })
    .regex(QUANTITY_PATTERN, {
      message: 'must be a Kubernetes quantity such as 500m, 2, 512Mi or 4Gi',
    });

const cpuMemory = z
  .object({ cpu: quantity().optional(), memory: quantity().optional() })
  .strict();

const resourcesSchema = z
  .object({
    requests: cpuMemory.optional(),
    limits: cpuMemory.optional(),
    gpu: boundedInt(0, 8).optional(),
  })
  .strict()
  .superRefine((resources, ctx) => {
    for (const resource of ['cpu', 'memory'] as const) {
      const request = resources.requests?.[resource];
      const limit = resources.limits?.[resource];
      if (request && limit && quantityValue(request)! > quantityValue(limit)!) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['requests', resource],
          message: `must not be more than the ${resource} limit (${limit})`,
        });
      }
    }
  });

/**
 * The fields of {@link modelSpecSchema}, one by one, for requests that change some of them (a
 * rollout's new version) and are then validated as a whole spec.
 * @public
 */
export const modelSpecFields = {
  name: dnsLabel(MAX_MODEL_NAME_LENGTH),
  framework: z.enum(MODEL_FRAMEWORKS, {
    errorMap: () => ({
      message: `must be one of ${MODEL_FRAMEWORKS.join(', ')}`,
    }),
  }),
  storageUri: safeString()
    .max(2048, { message: 'must be at most 2048 characters' })
    .regex(STORAGE_URI, {
      message: `must start with one of ${STORAGE_URI_SCHEMES.map(
        s => `${s}://`,
      ).join(', ')}`,
    })
    .optional(),
  args: z
    .array(
      plainText().max(1024, { message: 'must be at most 1024 characters' }),
    )
    .max(64, { message: 'must have at most 64 arguments' })
    .optional(),
  image: safeString()
    .max(512, { message: 'must be at most 512 characters' })
    .regex(IMAGE_REFERENCE, {
      message: 'must be a container image such as vllm/vllm-openai:v0.11.0',
    })
    .optional(),
  resources: resourcesSchema.optional(),
  minReplicas: boundedInt(0, 100).default(1),
  maxReplicas: boundedInt(1, 100).default(3),
  /** Defaults by mode: `concurrency` with Knative, `cpu` in Standard mode (see the refinement). */
  scaleMetric: z.enum(SCALE_METRICS).optional(),
  scaleTarget: boundedInt(1, 1000).default(60),
  deploymentMode: z.enum(DEPLOYMENT_MODES).default('Standard'),
  canaryTrafficPercent: boundedInt(0, 100).optional(),
  modelType: z.enum(MODEL_TYPES).optional(),
};

/**
 * A model (KServe InferenceService) as the create and update forms describe it. Defaults are the
 * ones of docs/architecture.md ("Defaults"), applied when a field is omitted. The default scale
 * metric is `concurrency` only in Knative mode. KServe's Standard mode scales with
 * a HorizontalPodAutoscaler on cpu or memory, so there the default is `cpu` and concurrency/rps
 * are rejected instead of being silently ignored.
 * @public
 */
export const modelSpecSchema = z
  .object(modelSpecFields)
  .strict()
  .superRefine((spec, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (spec.maxReplicas < spec.minReplicas) {
      issue('maxReplicas', 'must not be less than the minimum replicas');
    }
    if (spec.minReplicas === 0 && spec.deploymentMode !== 'Knative') {
      issue(
        'minReplicas',
        'can be 0 (scale to zero) only in Knative deployment mode',
      );
    }
    // In Standard mode KServe scales with a HorizontalPodAutoscaler, which only knows cpu and
    // memory; concurrency and rps need Knative's autoscaler.
    if (
      spec.deploymentMode === 'Standard' &&
      (spec.scaleMetric === 'concurrency' || spec.scaleMetric === 'rps')
    ) {
      issue(
        'scaleMetric',
        `${spec.scaleMetric} scaling needs Knative deployment mode; Standard mode scales on cpu or memory`,
      );
    }
    // KServe rolls out canaries with Knative revisions; Standard mode has no traffic split.
    if (
      spec.canaryTrafficPercent !== undefined &&
      spec.deploymentMode !== 'Knative'
    ) {
      issue(
        'canaryTrafficPercent',
        'canary rollouts need Knative deployment mode',
      );
    }
    if (spec.framework === 'custom-openai') {
      if (!spec.image) {
        issue('image', 'is required for a custom OpenAI-compatible container');
      }
    } else {
      if (spec.image) {
        issue(
          'image',
          'can only be set for a custom OpenAI-compatible container',
        );
      }
      if (!spec.storageUri) {
        issue('storageUri', `is required for ${spec.framework} models`);
      }
    }
  })
  .transform(spec => ({
    ...spec,
    scaleMetric:
      spec.scaleMetric ??
      (spec.deploymentMode === 'Knative' ? 'concurrency' : 'cpu'),
  }));

/** A validated model spec, defaults applied. @public */
export type ModelSpec = z.infer<typeof modelSpecSchema>;
/** What a client may send (defaulted fields optional). @public */
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
