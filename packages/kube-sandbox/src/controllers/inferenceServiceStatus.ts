import { kubeTimestamp } from '../apply/trackedFields';
import { isPlainObject } from '../schema/structuralValidator';
import { KubeObject } from '../store/types';
import { KNOWN_MODEL_FORMATS, KNOWN_RUNTIMES } from './knownRuntimes';

/** Runtimes and formats available in the sandbox besides the built-in lists. */
export interface RuntimeInventory {
  runtimeNames: string[];
  /** Formats named in ServingRuntimes' `spec.supportedModelFormats`. */
  modelFormats: string[];
}

type Json = Record<string, unknown>;

/**
 * Predictor shorthand keys of the pre-`model` KServe API, e.g. `spec.predictor.sklearn`: the
 * formats KServe ships runtimes for, except those that only exist as `model.modelFormat`.
 */
const LEGACY_FRAMEWORK_KEYS = KNOWN_MODEL_FORMATS.filter(
  f => f !== 'mlflow' && f !== 'vllm',
);

interface RuntimeProblem {
  reason: 'RuntimeNotRecognized' | 'NoSupportingRuntime';
  message: string;
}

/** Why KServe would not find a runtime for this predictor, if it would not. */
export function findRuntimeProblem(
  isvc: KubeObject,
  inventory: RuntimeInventory,
): RuntimeProblem | undefined {
  const spec = isPlainObject(isvc.spec) ? isvc.spec : {};
  const predictor: Json = isPlainObject(spec.predictor) ? spec.predictor : {};
  const model: Json | undefined = isPlainObject(predictor.model)
    ? predictor.model
    : undefined;
  if (model) {
    const runtime = model.runtime;
    if (
      typeof runtime === 'string' &&
      !KNOWN_RUNTIMES.includes(runtime) &&
      !inventory.runtimeNames.includes(runtime)
    ) {
      return {
        reason: 'RuntimeNotRecognized',
        message: `Specified runtime "${runtime}" is not recognized`,
      };
    }
    const format = isPlainObject(model.modelFormat)
      ? model.modelFormat.name
      : undefined;
    if (
      typeof format === 'string' &&
      !KNOWN_MODEL_FORMATS.includes(format.toLowerCase()) &&
      !inventory.modelFormats.includes(format)
    ) {
      return {
        reason: 'NoSupportingRuntime',
        message: `No runtime found to support predictor with model type: ${format}`,
      };
    }
    return undefined;
  }
  const hasContainers =
    Array.isArray(predictor.containers) && predictor.containers.length > 0;
  const hasLegacyFramework = LEGACY_FRAMEWORK_KEYS.some(k =>
    isPlainObject(predictor[k]),
  );
  if (!hasContainers && !hasLegacyFramework) {
    return {
      reason: 'NoSupportingRuntime',
      message: 'The predictor names no model, framework or container',
    };
  }
  return undefined;
}

/** KServe-style condition (Knative `apis.Condition` shape). */
function kserveCondition(
  type: string,
  ready: boolean,
  reason?: string,
  message?: string,
) {
  return {
    type,
    status: ready ? 'True' : 'False',
    lastTransitionTime: kubeTimestamp(),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

/**
 * The status KServe would eventually write: Ready with URLs, or not ready
 * with the runtime problem. URLs follow KServe's default domain template
 * `{{.Name}}-{{.Namespace}}.{{.IngressDomain}}` with domain `example.com`,
 * and the cluster-local predictor Service name.
 */
export function inferenceServiceStatus(
  isvc: KubeObject,
  inventory: RuntimeInventory,
  deploymentMode: string,
): Json {
  const { name, namespace, generation } = isvc.metadata;
  const problem = findRuntimeProblem(isvc, inventory);
  if (problem) {
    return {
      observedGeneration: generation,
      deploymentMode,
      conditions: [
        kserveCondition(
          'PredictorReady',
          false,
          problem.reason,
          problem.message,
        ),
        kserveCondition('Ready', false, problem.reason, problem.message),
      ],
      modelStatus: {
        transitionStatus: 'InvalidSpec',
        states: { activeModelState: '', targetModelState: 'FailedToLoad' },
        lastFailureInfo: {
          reason: problem.reason,
          message: problem.message,
          time: kubeTimestamp(),
        },
      },
    };
  }
  const predictorAddress = `http://${name}-predictor.${namespace}.svc.cluster.local`;
  return {
    observedGeneration: generation,
    deploymentMode,
    url: `http://${name}-${namespace}.example.com`,
    address: { url: predictorAddress },
    components: {
      predictor: {
        url: `http://${name}-predictor-${namespace}.example.com`,
        address: { url: predictorAddress },
      },
    },
    conditions: [
      kserveCondition('IngressReady', true),
      kserveCondition('PredictorReady', true),
      kserveCondition('Ready', true),
    ],
    modelStatus: {
      transitionStatus: 'UpToDate',
      states: { activeModelState: 'Loaded', targetModelState: 'Loaded' },
      copies: { failedCopies: 0, totalCopies: 1 },
    },
  };
}
