/**
 * The parts of Kubernetes objects the inference backend reads and writes. Deliberately loose
 * (unknown fields pass through): the cluster is the source of truth, these types only name what
 * the code relies on.
 */

import type { KubeObject } from '@inference-in-a-box/backstage-plugin-inference-node';

export type { KubeObject } from '@inference-in-a-box/backstage-plugin-inference-node';
export type KubeObjectMeta = KubeObject['metadata'];

export interface KubeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  severity?: string;
}

export interface KubeContainer {
  name: string;
  image?: string;
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string }[];
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** `spec.predictor.model` of an InferenceService (a container plus the model to load). */
export interface KServeModelSpec extends Partial<KubeContainer> {
  modelFormat?: { name: string; version?: string };
  runtime?: string;
  storageUri?: string;
  protocolVersion?: string;
}

export interface KServePredictorSpec {
  model?: KServeModelSpec;
  containers?: KubeContainer[];
  minReplicas?: number;
  maxReplicas?: number;
  scaleMetric?: string;
  scaleTarget?: number;
  canaryTrafficPercent?: number;
  /** Deprecated per-framework predictors (`huggingface: {...}` etc.) still accepted by KServe. */
  [framework: string]: unknown;
}

/** A KServe `serving.kserve.io/v1beta1` InferenceService. */
export interface InferenceServiceObject extends KubeObject {
  spec: { predictor: KServePredictorSpec; [component: string]: unknown };
  status?: {
    url?: string;
    address?: { url?: string };
    conditions?: KubeCondition[];
    components?: Record<string, { url?: string; [field: string]: unknown }>;
    modelStatus?: {
      transitionStatus?: string;
      states?: { activeModelState?: string; targetModelState?: string };
      lastFailureInfo?: { reason?: string; message?: string };
    };
    [field: string]: unknown;
  };
}
