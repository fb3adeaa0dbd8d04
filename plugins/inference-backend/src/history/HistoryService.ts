import {
  HistoryEntry,
  inferenceModelReadPermission,
  ModelLocator,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelAccess } from '../permissions/ModelAccess';
import type { CallContext } from '../requestContext';
import type { HistoryStore } from './HistoryStore';

/** A model's history as the API shows it: whoever may read the model may read its history. */
export interface HistoryService {
  /** Newest first. */
  listForModel(ctx: CallContext, model: ModelLocator): Promise<HistoryEntry[]>;
}

export function createHistoryService(deps: {
  access: ModelAccess;
  history: HistoryStore;
}): HistoryService {
  return {
    async listForModel(ctx, model) {
      await deps.access.require(
        ctx.credentials,
        inferenceModelReadPermission,
        model,
      );
      return deps.history.listForModel(model);
    },
  };
}
