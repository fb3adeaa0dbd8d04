import useAsync from 'react-use/esm/useAsync';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import type { ModelLocator } from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { ActionDialog, useDialogAction } from '../ActionDialog';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ChangeList, PREVIEW_LABELS } from '../ChangeList';

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
  const action = useDialogAction();
  const unpublish = () =>
    action.run(
      () => api.unpublish(locator),
      () => {
        onUnpublished();
        onClose();
      },
    );
  return (
    <ActionDialog
      title={`Unpublish ${locator.name}?`}
      width="md"
      busy={action.busy}
      lockWhileBusy
      error={action.error}
      errorTitle="Unpublishing failed"
      onClose={onClose}
      main={{ label: 'Unpublish', color: 'secondary', onClick: unpublish }}
    >
      <Typography variant="body2" paragraph>
        The endpoint stops answering and every API key of this publication is
        deleted. The model itself keeps running.
      </Typography>
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
    </ActionDialog>
  );
}
