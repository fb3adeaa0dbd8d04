import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  type ModelLocator,
  type PlannedChange,
  ROLLOUT_WINDOWS,
  type RolloutOperation,
  type RolloutResult,
  type RolloutStatus,
  type RolloutWindow,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { ActionDialog, DialogSteps, reviewButton } from '../ActionDialog';
import { FormErrorPanel } from '../ApiErrorPanel';
import { SelectField } from '../SelectField/SelectField';
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

const WINDOW_OPTIONS = ROLLOUT_WINDOWS.map(w => ({
  value: w,
  label: { '1m': '1 minute', '5m': '5 minutes', '15m': '15 minutes' }[w],
}));

/**
 * "Roll back automatically": the threshold, window and minimum of requests, sent only when
 * ticked. Without usage figures (no Prometheus configured) the backend refuses it, so it is
 * offered disabled, saying why.
 */
function AutoRollbackFields(props: {
  values: RolloutFormValues;
  errors: FieldErrors;
  usageConfigured: boolean;
  onChange: (values: RolloutFormValues) => void;
}) {
  const { values, errors, usageConfigured, onChange } = props;
  const id = useId();
  const set = <K extends keyof RolloutFormValues>(
    key: K,
    value: RolloutFormValues[K],
  ) => onChange({ ...values, [key]: value });
  const numberField = (
    key: 'errorRatePercent' | 'minRequests',
    label: string,
    helperText: string,
  ) => (
    <Grid item xs={12} sm={4}>
      <TextField
        id={`${id}-${key}`}
        label={label}
        value={values[key]}
        onChange={e => set(key, e.target.value)}
        InputLabelProps={{ shrink: true }}
        inputProps={{ inputMode: 'numeric' }}
        error={Boolean(errors[`autoRollback.${key}`])}
        helperText={errors[`autoRollback.${key}`] ?? helperText}
        variant="outlined"
        size="small"
        fullWidth
      />
    </Grid>
  );
  return (
    <Box>
      <FormControlLabel
        control={
          <Checkbox
            checked={values.autoRollback && usageConfigured}
            disabled={!usageConfigured}
            onChange={e => set('autoRollback', e.target.checked)}
          />
        }
        label="Roll back automatically"
      />
      <FormHelperText error={Boolean(errors.autoRollback)}>
        {errors.autoRollback ??
          (usageConfigured
            ? 'The portal rolls the new version back when too many of its requests fail (5xx).'
            : 'Needs usage figures: no Prometheus is configured for the portal.')}
      </FormHelperText>
      {values.autoRollback && usageConfigured && (
        <Grid container spacing={2} style={{ marginTop: 4 }}>
          {numberField(
            'errorRatePercent',
            'Error rate above (%)',
            '1 to 100 % of its requests',
          )}
          <Grid item xs={12} sm={4}>
            <SelectField
              label="Over the last"
              value={values.window}
              options={WINDOW_OPTIONS}
              onChange={w => set('window', w as RolloutWindow)}
              error={Boolean(errors['autoRollback.window'])}
              helperText={errors['autoRollback.window']}
              InputLabelProps={{ shrink: true }}
              style={{ width: '100%' }}
            />
          </Grid>
          {numberField(
            'minRequests',
            'With at least (requests)',
            'Fewer prove nothing',
          )}
        </Grid>
      )}
    </Box>
  );
}

function RolloutFormFields(props: {
  values: RolloutFormValues;
  errors: FieldErrors;
  stable?: string;
  usageConfigured: boolean;
  onChange: (values: RolloutFormValues) => void;
}) {
  const { values, errors, stable, usageConfigured, onChange } = props;
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
      <AutoRollbackFields
        values={values}
        errors={errors}
        usageConfigured={usageConfigured}
        onChange={onChange}
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
    const validated = validateRolloutForm({
      ...values,
      autoRollback:
        values.autoRollback &&
        status.usageUnavailable?.code !== 'notConfigured',
    });
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
            usageConfigured={status.usageUnavailable?.code !== 'notConfigured'}
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
