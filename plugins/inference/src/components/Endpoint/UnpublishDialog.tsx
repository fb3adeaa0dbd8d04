import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import type { ModelLocator } from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiError';
import { ChangeList } from '../ChangeList';
import { PREVIEW_LABELS } from '../PublishDialog/ReviewStep';

/** Confirms an unpublish, listing (from a dry run) every object it deletes. */
export function UnpublishDialog(props: {
  locator: ModelLocator;
  onUnpublished: () => void;
  onClose: () => void;
}) {
  const { locator, onUnpublished, onClose } = props;
  const api = useApi(inferenceApiRef);
  const preview = useAsync(
    () => api.unpublish(locator, { dryRun: true }),
    [api, locator],
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const unpublish = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.unpublish(locator);
      onUnpublished();
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="unpublish-title"
    >
      <DialogTitle id="unpublish-title">Unpublish {locator.name}?</DialogTitle>
      <DialogContent dividers>
        <Typography variant="body2" paragraph>
          The endpoint stops answering and every API key of this publication is
          deleted. The model itself keeps running.
        </Typography>
        {error !== undefined && (
          <ApiErrorPanel error={error} title="Unpublishing failed" />
        )}
        {preview.loading && <Progress />}
        {preview.error && (
          <ApiErrorPanel
            error={preview.error}
            title="Could not preview the unpublish"
          />
        )}
        {preview.value && (
          <ChangeList changes={preview.value.changes} labels={PREVIEW_LABELS} />
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={unpublish}
          disabled={busy}
        >
          Unpublish
        </Button>
      </DialogActions>
    </Dialog>
  );
}
