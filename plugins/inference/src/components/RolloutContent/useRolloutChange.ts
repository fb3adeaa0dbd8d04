import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ModelLocator,
  PlannedChange,
  RolloutOperation,
  RolloutResult,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { useDialogAction } from '../ActionDialog';

/**
 * What a rollout dialog sends for an operation: `dryRun` plans it (the object changes it would
 * make); `apply` sends it for real, then hands the result to `onApplied` and closes the dialog.
 * `busy` and `error` are the apply's, as `useDialogAction` keeps them.
 */
export function useRolloutChange(
  locator: ModelLocator,
  onApplied: (result: RolloutResult, operation: RolloutOperation) => void,
  onClose: () => void,
) {
  const api = useApi(inferenceApiRef);
  const action = useDialogAction();

  const dryRun = async (
    operation: RolloutOperation,
  ): Promise<PlannedChange[]> => {
    const result = await api.changeRollout(locator, operation, {
      dryRun: true,
    });
    return result.changes;
  };

  const apply = (operation: RolloutOperation) =>
    action.run(
      () => api.changeRollout(locator, operation),
      result => {
        onApplied(result, operation);
        onClose();
      },
    );

  return { ...action, dryRun, apply };
}
