import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';
import type {
  DriftedObject,
  ModelLocator,
  PublicationDrift,
  PublicationSummary,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import type { ModelPermission } from '../../hooks/useModelPermission';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { DriftList } from '../ChangeList';
import { PermittedButton } from '../PermittedButton';
import { ReconcileDialog } from './ReconcileDialog';

/** What the backend did about each guard it put back by itself. */
const RESTORED_LABELS: Record<DriftedObject['change'], string> = {
  missing: 'Recreated',
  extra: 'Deleted',
  changed: 'Changed back',
};

const formatTime = (iso: string) => new Date(iso).toLocaleString();

/**
 * The drift to show: the result of this page's own "Check now" while it is at least as recent as
 * the publication's stored check (the reload after a check may still be on its way), else the
 * publication's. `drifted` follows the publication's state unless this page's check is newer.
 */
function currentDrift(
  publication: PublicationSummary,
  checked: PublicationDrift | undefined,
): { drift?: PublicationDrift; drifted: boolean } {
  const stored = publication.drift;
  if (
    checked &&
    (!stored || Date.parse(checked.checkedAt) >= Date.parse(stored.checkedAt))
  ) {
    return { drift: checked, drifted: checked.objects.length > 0 };
  }
  return { drift: stored, drifted: publication.state === 'drifted' };
}

/**
 * Whether the publication's objects still match what the portal published. Drifted: a warning
 * with every changed field (published and live value, and the field manager that changed it),
 * Reconcile (publish permission) and Check now (read permission). In sync: one line with the time
 * of the last check. Guards the backend restored by itself are listed in a note either way.
 */
export function DriftPanel(props: {
  locator: ModelLocator;
  publication: PublicationSummary;
  publish: ModelPermission;
  read: ModelPermission;
  /** Reloads the publication (after a check or a reconcile). */
  onChanged: () => void;
}) {
  const { locator, publication, publish, read, onChanged } = props;
  const api = useApi(inferenceApiRef);
  const [checked, setChecked] = useState<PublicationDrift>();
  const [checking, setChecking] = useState(false);
  const [checkError, setCheckError] = useState<unknown>();
  const [reconciling, setReconciling] = useState(false);
  const { drift, drifted } = currentDrift(publication, checked);

  const checkNow = async () => {
    setCheckError(undefined);
    setChecking(true);
    try {
      setChecked(await api.checkPublicationDrift(locator));
      onChanged();
    } catch (e) {
      setCheckError(e);
    } finally {
      setChecking(false);
    }
  };

  const checkButton = (
    <PermittedButton
      permission={read}
      variant="outlined"
      size="small"
      disabled={checking}
      aria-busy={checking}
      onClick={checkNow}
    >
      Check now
    </PermittedButton>
  );

  return (
    <Box display="flex" flexDirection="column" gridGap={12}>
      {drifted ? (
        <Alert
          severity="warning"
          role="region"
          aria-label="Changed outside the portal"
        >
          <AlertTitle>Changed outside the portal</AlertTitle>
          <Typography variant="body2" paragraph>
            {drift ? `Last checked ${formatTime(drift.checkedAt)}. ` : ''}
            {drift && drift.objects.length > 0
              ? 'These objects no longer match what the portal published.'
              : 'The publication’s objects no longer match what the portal published.'}{' '}
            Weakened guards are put back automatically; other changes stay until
            someone reconciles.
          </Typography>
          {drift && drift.objects.length > 0 && (
            <DriftList objects={drift.objects} />
          )}
          <Box display="flex" gridGap={12} mt={2} flexWrap="wrap">
            <PermittedButton
              permission={publish}
              variant="contained"
              color="primary"
              size="small"
              onClick={() => setReconciling(true)}
            >
              Reconcile
            </PermittedButton>
            {checkButton}
          </Box>
        </Alert>
      ) : (
        <Box
          display="flex"
          alignItems="center"
          gridGap={12}
          flexWrap="wrap"
          role="status"
          aria-label="Drift check"
        >
          <Typography variant="body2" color="textSecondary">
            {drift
              ? `In sync, checked ${formatTime(drift.checkedAt)}`
              : 'Not checked for changes outside the portal yet'}
          </Typography>
          {checkButton}
        </Box>
      )}
      {drift?.restored && drift.restored.length > 0 && (
        <Alert
          severity="info"
          role="region"
          aria-label="Guards restored automatically"
        >
          <AlertTitle>
            Guards restored automatically at {formatTime(drift.checkedAt)}
          </AlertTitle>
          <Typography variant="body2" paragraph>
            These changes made outside the portal weakened authentication,
            authorization or a rate limit, and were put back:
          </Typography>
          <DriftList
            objects={drift.restored}
            labels={RESTORED_LABELS}
            label="Restored guards"
          />
        </Alert>
      )}
      {checkError !== undefined && (
        <ApiErrorPanel error={checkError} title="The drift check failed" />
      )}
      {reconciling && (
        <ReconcileDialog
          locator={locator}
          objects={drifted ? drift?.objects ?? [] : []}
          onReconciled={() => {
            setChecked(undefined);
            onChanged();
          }}
          onClose={() => setReconciling(false)}
        />
      )}
    </Box>
  );
}
