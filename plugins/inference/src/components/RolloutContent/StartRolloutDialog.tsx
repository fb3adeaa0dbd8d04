import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type {
  ModelLocator,
  PlannedChange,
  RolloutOperation,
  RolloutResult,
  RolloutStatus,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { ActionDialog, DialogSteps, reviewButton } from '../ActionDialog';
import { FormErrorPanel } from '../ApiErrorPanel';
import {
  backendFieldErrors,
  type FieldErrors,
  initialRolloutFormValues,
  ROLLOUT_FORM_FIELDS,
  type RolloutFormValues,
  validateRolloutForm,
} from './rolloutForm';
import { RolloutReview } from './RolloutReview';
import { ShareField } from './ShareField';
import { useRolloutChange } from './useRolloutChange';

type DialogStep =
  | { step: 'form'; reviewing: boolean; error?: unknown }
  | { step: 'review'; operation: RolloutOperation; changes: PlannedChange[] };

const STEP_LABELS = ['New version', 'Review changes'];

function RolloutFormFields(props: {
  values: RolloutFormValues;
  errors: FieldErrors;
  stable?: string;
  onChange: (values: RolloutFormValues) => void;
}) {
  const { values, errors, stable, onChange } = props;
  const id = useId();
  const set = (key: keyof RolloutFormValues, value: string) =>
    onChange({ ...values, [key]: value });
  const resourceField = (
    key: 'cpuRequest' | 'memoryRequest' | 'cpuLimit' | 'memoryLimit',
    field: string,
    label: string,
    example: string,
  ) => (
    <Grid item xs={12} sm={6}>
      <TextField
        id={`${id}-${key}`}
        label={label}
        value={values[key]}
        onChange={e => set(key, e.target.value)}
        placeholder={example}
        InputLabelProps={{ shrink: true }}
        error={Boolean(errors[field])}
        helperText={errors[field]}
        variant="outlined"
        size="small"
        fullWidth
      />
    </Grid>
  );
  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <Typography variant="body2">
        The new version runs next to {stable ?? 'the current one'} and gets a
        share of the traffic once it is Ready. Empty fields keep their current
        value.
      </Typography>
      <TextField
        id={`${id}-storageUri`}
        label="Storage URI"
        value={values.storageUri}
        onChange={e => set('storageUri', e.target.value)}
        placeholder="gs://bucket/path/to/model"
        InputLabelProps={{ shrink: true }}
        error={Boolean(errors.storageUri)}
        helperText={
          errors.storageUri ??
          'Where the new version loads the model from. Required unless you change the resources.'
        }
        variant="outlined"
        size="small"
      />
      <Box>
        <Typography variant="subtitle2" gutterBottom>
          Resources (optional)
        </Typography>
        <Grid container spacing={2}>
          {resourceField(
            'cpuRequest',
            'resources.requests.cpu',
            'CPU request',
            '500m',
          )}
          {resourceField(
            'memoryRequest',
            'resources.requests.memory',
            'Memory request',
            '1Gi',
          )}
          {resourceField('cpuLimit', 'resources.limits.cpu', 'CPU limit', '1')}
          {resourceField(
            'memoryLimit',
            'resources.limits.memory',
            'Memory limit',
            '2Gi',
          )}
        </Grid>
        {errors.resources && (
          <FormHelperText error>{errors.resources}</FormHelperText>
        )}
      </Box>
      <ShareField
        label="Initial share of traffic"
        value={values.share}
        error={errors.canaryTrafficPercent}
        helperText="1 to 99. The current version keeps the rest."
        onChange={share => set('share', share)}
      />
    </Box>
  );
}

/**
 * "Roll out a new version": the form (validated with the backend's schema), a review of the dry
 * run's changes, then the apply. The backend's field errors show at their fields; anything else
 * (a 409 when the state does not allow a rollout) in a panel above the form.
 */
export function StartRolloutDialog(props: {
  locator: ModelLocator;
  status: RolloutStatus;
  onApplied: (result: RolloutResult, operation: RolloutOperation) => void;
  onClose: () => void;
}) {
  const { locator, status, onApplied, onClose } = props;
  const [values, setValues] = useState(initialRolloutFormValues);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [step, setStep] = useState<DialogStep>({
    step: 'form',
    reviewing: false,
  });
  const action = useRolloutChange(locator, onApplied, onClose);

  const review = async () => {
    const validated = validateRolloutForm(values);
    if (!validated.request) {
      setErrors(validated.errors);
      return;
    }
    setErrors({});
    setStep({ step: 'form', reviewing: true });
    const operation: RolloutOperation = {
      action: 'start',
      version: validated.request,
    };
    try {
      const changes = await action.dryRun(operation);
      setStep({ step: 'review', operation, changes });
    } catch (error) {
      setErrors(backendFieldErrors(error, ROLLOUT_FORM_FIELDS));
      setStep({ step: 'form', reviewing: false, error });
    }
  };

  const backToForm = () => {
    action.setError(undefined);
    setStep({ step: 'form', reviewing: false });
  };

  return (
    <ActionDialog
      title={`Roll out a new version of ${locator.name}`}
      width="md"
      busy={action.busy}
      lockWhileBusy
      error={step.step === 'review' ? action.error : undefined}
      errorTitle="The rollout was not applied"
      onClose={onClose}
      {...(step.step === 'form'
        ? { main: reviewButton(review, step.reviewing) }
        : {
            secondary: { label: 'Back', onClick: backToForm },
            main: {
              label: 'Apply',
              onClick: () => action.apply(step.operation),
            },
          })}
    >
      <DialogSteps labels={STEP_LABELS} active={step.step === 'form' ? 0 : 1} />
      {step.step === 'form' && (
        <>
          {step.error !== undefined && (
            <FormErrorPanel
              error={step.error}
              title="The backend refused this rollout"
              knownFields={ROLLOUT_FORM_FIELDS}
              shownFields={Object.keys(errors)}
            />
          )}
          <RolloutFormFields
            values={values}
            errors={errors}
            stable={status.stable?.revision}
            onChange={setValues}
          />
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
