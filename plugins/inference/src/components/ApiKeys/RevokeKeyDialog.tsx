import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import type {
  ApiKeyInfo,
  ModelLocator,
} from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiError';

/** Confirms and revokes one key. */
export function RevokeKeyDialog(props: {
  locator: ModelLocator;
  apiKey: ApiKeyInfo;
  onRevoked: () => void;
  onClose: () => void;
}) {
  const { locator, apiKey, onRevoked, onClose } = props;
  const api = useApi(inferenceApiRef);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const revoke = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.revokeApiKey(locator, apiKey.id);
      onRevoked();
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={onClose} aria-labelledby="revoke-key-title">
      <DialogTitle id="revoke-key-title">Revoke key {apiKey.name}?</DialogTitle>
      <DialogContent dividers>
        {error !== undefined && (
          <ApiErrorPanel error={error} title="Could not revoke the key" />
        )}
        <Typography variant="body2">
          Clients using the key ending in {apiKey.last4} are refused from now
          on. This cannot be undone.
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={revoke}
          disabled={busy}
        >
          Revoke
        </Button>
      </DialogActions>
    </Dialog>
  );
}
