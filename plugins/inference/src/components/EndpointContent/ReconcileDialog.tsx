import { useApi } from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import type {
  DriftedObject,
  ModelLocator,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { ActionDialog, useDialogAction } from '../ActionDialog';
import { DriftList, RECONCILE_LABELS } from '../ChangeList';

/** Confirms a reconcile, listing every change made outside the portal that it takes back. */
export function ReconcileDialog(props: {
  locator: ModelLocator;
  /** The drift of the last check; empty when its details are not known. */
  objects: DriftedObject[];
  onReconciled: () => void;
  onClose: () => void;
}) {
  const { locator, objects, onReconciled, onClose } = props;
  const api = useApi(inferenceApiRef);
  const action = useDialogAction();
  const reconcile = () =>
    action.run(
      () => api.reconcilePublication(locator),
      () => {
        onReconciled();
        onClose();
      },
    );
  return (
    <ActionDialog
      title={`Reconcile ${locator.name}?`}
      width="md"
      busy={action.busy}
      lockWhileBusy
      error={action.error}
      errorTitle="Reconciling failed"
      onClose={onClose}
      main={{ label: 'Reconcile', onClick: reconcile }}
    >
      <Typography variant="body2" paragraph>
        The portal applies the publication again exactly as it was published.
        {objects.length > 0
          ? ' These changes made outside the portal are taken back:'
          : ' Every change made outside the portal is taken back.'}
      </Typography>
      {objects.length > 0 && (
        <DriftList
          objects={objects}
          labels={RECONCILE_LABELS}
          label="Changes to take back"
        />
      )}
    </ActionDialog>
  );
}
