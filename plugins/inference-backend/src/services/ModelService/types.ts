import type {
  ModelSpec,
  ModelSummary,
  PlannedChange,
} from '@internal/backstage-plugin-inference-common';
import type { InferenceServiceObject } from '../../models/types';
import type { ModelCoordinates } from '../../permissions/ModelAccess';
import type { CallContext } from '../../history/recordMutation';

export interface ModelDetails extends ModelSummary {
  manifest: InferenceServiceObject;
}

/** The result of a create or update; with dryRun, what would happen and nothing else. */
export interface ModelWriteResult {
  dryRun: boolean;
  manifest: InferenceServiceObject;
  changes: PlannedChange[];
  model?: ModelSummary;
}

/** Models (KServe InferenceServices) in tenant namespaces, with every call checked against permissions. */
export interface ModelService {
  /** Every model the caller may read, across tenants and clusters. Never null. */
  list(ctx: CallContext): Promise<ModelSummary[]>;
  get(ctx: CallContext, model: ModelCoordinates): Promise<ModelDetails>;
  create(
    ctx: CallContext,
    target: { cluster: string; namespace: string },
    spec: ModelSpec,
    options: { dryRun: boolean },
  ): Promise<ModelWriteResult>;
  update(
    ctx: CallContext,
    model: ModelCoordinates,
    spec: ModelSpec,
    options: { dryRun: boolean },
  ): Promise<ModelWriteResult>;
  delete(ctx: CallContext, model: ModelCoordinates): Promise<void>;
}
