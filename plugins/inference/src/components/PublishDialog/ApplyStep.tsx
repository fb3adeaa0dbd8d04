import CircularProgress from '@material-ui/core/CircularProgress';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';
import type {
  PlannedChange,
  PublishResult,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { CHANGE_LABELS, ChangeList, PREVIEW_LABELS } from '../ChangeList';

export type ApplyState =
  | { state: 'applying' }
  | { state: 'done'; result: PublishResult }
  | { state: 'failed'; error: unknown };

/** While the request runs: in progress (or nothing to do); after it failed: not applied. */
function PendingObjectStatus(props: {
  change: PlannedChange;
  applying: boolean;
}) {
  const { change, applying } = props;
  if (!applying) {
    return (
      <Typography variant="caption" color="error">
        Not applied
      </Typography>
    );
  }
  if (change.action === 'unchanged') {
    return <Typography variant="caption">Nothing to do</Typography>;
  }
  return (
    <Box display="flex" alignItems="center" gridGap={4}>
      <CircularProgress
        size={14}
        aria-label={`Applying ${change.kind} ${change.name}`}
      />
      <Typography variant="caption">Applying…</Typography>
    </Box>
  );
}

/**
 * The apply step. The backend applies the whole set in one request (all or nothing: a failure
 * rolls back what this attempt applied), so each planned object shows as in progress while the
 * request runs, then with what was done to it, or as not applied when the request failed.
 */
export function ApplyStep(props: {
  planned: PlannedChange[];
  apply: ApplyState;
}) {
  const { planned, apply } = props;
  if (apply.state === 'done') {
    const { changes, publication } = apply.result;
    return (
      <Box>
        <Alert
          severity={
            publication && publication.state !== 'published'
              ? 'warning'
              : 'success'
          }
        >
          <AlertTitle>
            {publication && publication.state !== 'published'
              ? `Publication ${publication.state}`
              : 'Published'}
          </AlertTitle>
          {publication?.failure && (
            <Typography variant="body2">
              {publication.failure.kind} {publication.failure.name}:{' '}
              {publication.failure.reason}
            </Typography>
          )}
          {publication && (
            <Typography variant="body2">
              Endpoint: <code>{publication.endpoint}</code>
            </Typography>
          )}
        </Alert>
        <ChangeList
          changes={changes}
          labels={CHANGE_LABELS}
          status={() => <Typography variant="caption">Done</Typography>}
        />
      </Box>
    );
  }
  return (
    <Box>
      {apply.state === 'failed' && (
        <ApiErrorPanel
          error={apply.error}
          title="Publishing failed; the objects applied in this attempt were rolled back"
        />
      )}
      <ChangeList
        changes={planned}
        labels={PREVIEW_LABELS}
        status={change => (
          <PendingObjectStatus
            change={change}
            applying={apply.state === 'applying'}
          />
        )}
      />
    </Box>
  );
}
