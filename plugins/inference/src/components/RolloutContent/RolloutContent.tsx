import { useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { Alert, AlertTitle } from '@material-ui/lab';
import {
  inferenceModelUpdatePermission,
  type RolloutOperation,
  type RolloutResult,
  type RolloutStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelEntity } from '../../hooks/useModelEntity';
import {
  type ModelPermission,
  useModelPermission,
} from '../../hooks/useModelPermission';
import { ApiErrorPanel } from '../ApiErrorPanel';
import { ModelEntityGate } from '../ModelEntityGate';
import { PermittedButton } from '../PermittedButton';
import { type RolloutChange, RolloutChangeDialog } from './RolloutChangeDialog';
import {
  blockedReason,
  expectedAfter,
  type RolloutAction,
} from './rolloutRules';
import { RolloutStatusView } from './RolloutStatusView';
import { StartRolloutDialog } from './StartRolloutDialog';
import { useRollout } from './useRollout';

/** The operations, as their buttons say them. */
const ACTIONS: {
  action: RolloutAction;
  label: string;
  variant: 'contained' | 'outlined';
  color: 'primary' | 'secondary' | 'default';
}[] = [
  {
    action: 'start',
    label: 'Roll out a new version',
    variant: 'contained',
    color: 'primary',
  },
  {
    action: 'traffic',
    label: 'Change share',
    variant: 'outlined',
    color: 'default',
  },
  {
    action: 'promote',
    label: 'Promote',
    variant: 'outlined',
    color: 'default',
  },
  {
    action: 'rollback',
    label: 'Roll back',
    variant: 'outlined',
    color: 'secondary',
  },
];

function RolloutActions(props: {
  status: RolloutStatus;
  permission: ModelPermission;
  onOpen: (action: RolloutAction) => void;
}) {
  const { status, permission, onOpen } = props;
  return (
    <Box display="flex" gridGap={12} mt={2} flexWrap="wrap">
      {ACTIONS.map(({ action, label, variant, color }) => (
        <PermittedButton
          key={action}
          permission={permission}
          disabledReason={blockedReason(status, action)}
          variant={variant}
          color={color}
          onClick={() => onOpen(action)}
        >
          {label}
        </PermittedButton>
      ))}
    </Box>
  );
}

function ModelRollout(props: {
  model: ModelEntity;
  pollIntervalMs?: number;
  figuresPollIntervalMs?: number;
}) {
  const { locator, resourceRef } = props.model;
  const rollout = useRollout(
    locator,
    props.pollIntervalMs,
    props.figuresPollIntervalMs,
  );
  const update = useModelPermission(
    inferenceModelUpdatePermission,
    resourceRef,
    'change this model',
  );
  const [dialog, setDialog] = useState<RolloutAction>();
  const status = rollout.value;

  if (!status) {
    if (ResponseError.is(rollout.error) && rollout.error.statusCode === 404) {
      return (
        <Typography>
          Not deployed: there is no InferenceService {locator.name} in namespace{' '}
          {locator.namespace} on cluster {locator.cluster}.
        </Typography>
      );
    }
    if (rollout.error !== undefined) {
      return (
        <ApiErrorPanel
          error={rollout.error}
          title="Could not read the rollout"
          onRetry={rollout.refresh}
        />
      );
    }
    return <Progress />;
  }

  const close = () => setDialog(undefined);
  const onApplied = (result: RolloutResult, operation: RolloutOperation) =>
    rollout.applied(result.rollout, expectedAfter(operation, status));

  return (
    <>
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <InfoCard title="Rollout" subheader={`${status.deploymentMode} mode`}>
            {status.supported ? (
              <>
                <RolloutStatusView status={status} />
                <RolloutActions
                  status={status}
                  permission={update}
                  onOpen={setDialog}
                />
              </>
            ) : (
              <Alert
                severity="info"
                role="region"
                aria-label="No gradual rollouts"
              >
                <AlertTitle>No gradual rollouts for this model</AlertTitle>
                {status.explanation}
              </Alert>
            )}
            {rollout.error !== undefined && (
              <Box mt={2}>
                <ApiErrorPanel
                  error={rollout.error}
                  title="Could not refresh the rollout"
                />
              </Box>
            )}
            <Box display="flex" alignItems="center" gridGap={8} mt={2}>
              <Button
                size="small"
                onClick={rollout.refresh}
                disabled={rollout.loading}
              >
                Refresh
              </Button>
              {rollout.polling && (
                <>
                  <CircularProgress size={14} aria-hidden />
                  <Typography variant="caption" color="textSecondary">
                    Updating every few seconds while the change is under way
                  </Typography>
                </>
              )}
              {rollout.refreshingFigures && (
                <Typography variant="caption" color="textSecondary">
                  Figures read again every few seconds while the canary runs
                </Typography>
              )}
            </Box>
          </InfoCard>
        </Grid>
      </Grid>
      {dialog === 'start' && (
        <StartRolloutDialog
          locator={locator}
          status={status}
          onApplied={onApplied}
          onClose={close}
        />
      )}
      {dialog !== undefined && dialog !== 'start' && (
        <RolloutChangeDialog
          locator={locator}
          change={dialog as RolloutChange}
          status={status}
          onApplied={onApplied}
          onClose={close}
        />
      )}
    </>
  );
}

/**
 * The "Rollout" tab of a model's entity page: the live traffic split between the model's versions
 * (Knative revisions, or in Standard mode the model's InferenceService and its blue-green
 * candidate), read again every few seconds while a change is under way (every 10 s while a canary
 * shows figures per version), and the operations on it
 * (roll out a new version, change its share, promote, roll back), each reviewed from a dry run
 * before it is applied. A model that cannot be rolled out (Standard mode, unpublished) gets why.
 */
export function RolloutContent(props: {
  /** How often to read the rollout while it changes (tests shorten it). */
  pollIntervalMs?: number;
  /** How often to read a settled canary's figures again (tests shorten it). */
  figuresPollIntervalMs?: number;
}) {
  return (
    <ModelEntityGate unavailableTitle="No rollout">
      {model => (
        <ModelRollout
          model={model}
          pollIntervalMs={props.pollIntervalMs}
          figuresPollIntervalMs={props.figuresPollIntervalMs}
        />
      )}
    </ModelEntityGate>
  );
}
