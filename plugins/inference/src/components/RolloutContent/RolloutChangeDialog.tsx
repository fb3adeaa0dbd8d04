import { useEffect, useState } from 'react';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type {
  ModelLocator,
  PlannedChange,
  RolloutOperation,
  RolloutResult,
  RolloutStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ActionDialog,
  type DialogButton,
  type DialogMainButton,
  reviewButton,
} from '../ActionDialog';
import { FormErrorPanel } from '../ApiErrorPanel';
import { backendFieldErrors, validateShare } from './rolloutForm';
import { describeOperation, RolloutReview } from './RolloutReview';
import { ShareField } from './ShareField';
import { useRolloutChange } from './useRolloutChange';

/** The operations of an ongoing rollout; starting one is StartRolloutDialog's. */
export type RolloutChange = 'traffic' | 'promote' | 'rollback';

const SHARE_FIELDS = ['canaryTrafficPercent'];

type DialogStep =
  | { step: 'form' | 'planning'; error?: unknown }
  | { step: 'review'; operation: RolloutOperation; changes: PlannedChange[] };

function titleOf(change: RolloutChange, status: RolloutStatus) {
  const candidate = status.candidate?.revision ?? 'the new version';
  if (change === 'traffic') return `Change the share of ${candidate}`;
  if (change === 'promote') return `Promote ${candidate}`;
  return `Roll back ${status.model.name}`;
}

/**
 * Change share, Promote and Roll back: each a review of the dry run's changes with a sentence of
 * what happens to the traffic, then the apply. Change share asks for the new share first; the
 * others plan as soon as they open.
 */
export function RolloutChangeDialog(props: {
  locator: ModelLocator;
  change: RolloutChange;
  status: RolloutStatus;
  onApplied: (result: RolloutResult, operation: RolloutOperation) => void;
  onClose: () => void;
}) {
  const { locator, change, status, onApplied, onClose } = props;
  const [share, setShare] = useState(
    String(status.canaryTrafficPercent || status.candidate?.percent || 10),
  );
  const [shareError, setShareError] = useState<string>();
  const [step, setStep] = useState<DialogStep>({
    step: change === 'traffic' ? 'form' : 'planning',
  });
  const action = useRolloutChange(locator, onApplied, onClose);

  const plan = async (operation: RolloutOperation) => {
    setStep({ step: 'planning' });
    try {
      const changes = await action.dryRun(operation);
      setStep({ step: 'review', operation, changes });
    } catch (error) {
      const fields = backendFieldErrors(error, SHARE_FIELDS);
      setShareError(fields.canaryTrafficPercent);
      setStep({ step: change === 'traffic' ? 'form' : 'planning', error });
    }
  };

  const operationOf = (): RolloutOperation | undefined => {
    if (change !== 'traffic') return { action: change };
    const validated = validateShare(share);
    setShareError(validated.error);
    return validated.error === undefined
      ? { action: 'traffic', canaryTrafficPercent: validated.percent }
      : undefined;
  };

  const review = () => {
    const operation = operationOf();
    if (operation) plan(operation);
  };

  useEffect(() => {
    if (change !== 'traffic') plan({ action: change });
    // Plans once, when the dialog opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  let buttons: { main: DialogMainButton; secondary?: DialogButton | null };
  if (step.step === 'review') {
    buttons = {
      main: {
        label: 'Apply',
        color: change === 'rollback' ? 'secondary' : 'primary',
        onClick: () => action.apply(step.operation),
      },
      ...(change === 'traffic'
        ? {
            secondary: {
              label: 'Back',
              onClick: () => {
                action.setError(undefined);
                setStep({ step: 'form' });
              },
            },
          }
        : {}),
    };
  } else if (step.step === 'planning' && step.error === undefined) {
    buttons = { main: reviewButton(() => undefined, true) };
  } else {
    buttons = {
      main: {
        label: change === 'traffic' ? 'Review' : 'Try again',
        onClick: change === 'traffic' ? review : () => plan({ action: change }),
      },
    };
  }

  return (
    <ActionDialog
      title={titleOf(change, status)}
      width="md"
      busy={action.busy}
      lockWhileBusy
      error={step.step === 'review' ? action.error : undefined}
      errorTitle="The change was not applied"
      onClose={onClose}
      {...buttons}
    >
      {/* A share the backend refused shows at the field; the panel shows anything else. */}
      {step.step !== 'review' && step.error !== undefined && (
        <FormErrorPanel
          error={step.error}
          title="The backend refused this change"
          knownFields={SHARE_FIELDS}
          shownFields={shareError !== undefined ? SHARE_FIELDS : []}
        />
      )}
      {change === 'traffic' && step.step !== 'review' && (
        <Box display="flex" flexDirection="column" gridGap={16}>
          <Typography variant="body2">
            The share of the traffic the new version,{' '}
            {status.candidate?.revision}, gets. {status.stable?.revision} gets
            the rest.
          </Typography>
          <ShareField
            label="Share of traffic"
            value={share}
            error={shareError}
            helperText="1 to 99. Promote sends all traffic; Roll back sends none."
            onChange={setShare}
          />
        </Box>
      )}
      {change !== 'traffic' &&
        step.step === 'planning' &&
        step.error === undefined && (
          <>
            <Typography variant="body1" paragraph>
              {describeOperation({ action: change }, status)}
            </Typography>
            <Progress />
          </>
        )}
      {step.step === 'review' && (
        <RolloutReview
          operation={step.operation}
          status={status}
          changes={step.changes}
        />
      )}
    </ActionDialog>
  );
}
