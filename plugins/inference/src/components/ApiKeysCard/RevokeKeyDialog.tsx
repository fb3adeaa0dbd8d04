import { useApi } from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import { inferenceApiRef } from '../../api';
import { ActionDialog, useDialogAction } from '../ActionDialog';
import type { ExistingKeyDialogProps } from './keyDialogProps';

/** Confirms and revokes one key. */
export function RevokeKeyDialog(props: ExistingKeyDialogProps) {
  const { locator, apiKey, onChanged, onClose } = props;
  const api = useApi(inferenceApiRef);
  const action = useDialogAction();
  const revoke = () =>
    action.run(
      () => api.revokeApiKey(locator, apiKey.id),
      () => {
        onChanged();
        onClose();
      },
    );
  return (
    <ActionDialog
      title={`Revoke key ${apiKey.name}?`}
      busy={action.busy}
      error={action.error}
      errorTitle="Could not revoke the key"
      onClose={onClose}
      main={{ label: 'Revoke', color: 'secondary', onClick: revoke }}
    >
      <Typography variant="body2">
        Clients using the key ending in {apiKey.last4} are refused from now on.
        This cannot be undone.
      </Typography>
    </ActionDialog>
  );
}
