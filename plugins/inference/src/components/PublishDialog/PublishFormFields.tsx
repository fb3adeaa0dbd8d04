import { useId } from 'react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  type ModelType,
  PUBLISH_LIMIT_BOUNDS,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { SelectField } from '../SelectField';
import type { FieldErrors, PublishFormValues } from './publishForm';

const bounds = (field: keyof typeof PUBLISH_LIMIT_BOUNDS) => {
  const { min, max } = PUBLISH_LIMIT_BOUNDS[field];
  return `${min.toLocaleString('en-US')} to ${max.toLocaleString(
    'en-US',
  )}; empty for no limit`;
};

/**
 * The inputs of the publish form. Each maps to a rule the gateway enforces; fields that cannot be
 * enforced for this model are not offered (a predictive model is served under its own name and
 * reports no token usage).
 */
export function PublishFormFields(props: {
  values: PublishFormValues;
  errors: FieldErrors;
  /** The type the model is published as: the override if chosen, else what the catalog says. */
  effectiveType?: ModelType;
  onChange: (values: PublishFormValues) => void;
}) {
  const { values, errors, effectiveType, onChange } = props;
  const fieldId = useId();
  const set = <K extends keyof PublishFormValues>(
    key: K,
    value: PublishFormValues[K],
  ) => onChange({ ...values, [key]: value });
  const predictive = effectiveType === 'predictive';
  const limitField = (
    key: 'requestsPerMinute' | 'requestsPerHour' | 'tokensPerHour',
    label: string,
  ) => (
    <TextField
      id={`${fieldId}-${key}`}
      label={label}
      value={values[key]}
      onChange={e => set(key, e.target.value)}
      error={Boolean(errors[`limits.${key}`])}
      helperText={errors[`limits.${key}`] ?? bounds(key)}
      inputProps={{ inputMode: 'numeric' }}
      variant="outlined"
      size="small"
    />
  );
  return (
    <Box display="flex" flexDirection="column" gridGap={16}>
      <SelectField
        label="Model type"
        value={values.modelType}
        options={[
          {
            value: '',
            label: `Detected${effectiveType ? ` (${effectiveType})` : ''}`,
          },
          { value: 'openai', label: 'OpenAI-compatible' },
          { value: 'predictive', label: 'Predictive (KServe v1/v2)' },
        ]}
        onChange={value =>
          set('modelType', value as PublishFormValues['modelType'])
        }
        InputLabelProps={{ shrink: true }}
        error={Boolean(errors.modelType)}
        helperText={
          errors.modelType ??
          'How clients call the model; detected from the model unless you override it'
        }
      />
      <TextField
        id={`${fieldId}-3`}
        label="Public model name"
        value={values.publicModelName}
        onChange={e => set('publicModelName', e.target.value)}
        disabled={predictive}
        error={Boolean(errors.publicModelName)}
        helperText={
          errors.publicModelName ??
          (predictive
            ? 'Predictive models are served under their own name, at their path'
            : 'The name clients put in the "model" field')
        }
        variant="outlined"
        size="small"
        required
      />
      <TextField
        id={`${fieldId}-4`}
        label="Hostname"
        value={values.hostname}
        onChange={e => set('hostname', e.target.value)}
        placeholder="Platform default"
        error={Boolean(errors.hostname)}
        helperText={
          errors.hostname ??
          (predictive
            ? "Empty for the platform's shared hostname; others must be allowed by the platform"
            : 'Empty for a hostname of its own (<model>-<tenant>); one OpenAI-compatible model per hostname')
        }
        InputLabelProps={{ shrink: true }}
        variant="outlined"
        size="small"
      />
      <Box>
        <Typography variant="subtitle2">Authentication</Typography>
        <FormControlLabel
          control={<Checkbox checked disabled />}
          label="API key (always required)"
        />
        <FormControlLabel
          control={
            <Checkbox
              checked={values.jwt}
              onChange={e => set('jwt', e.target.checked)}
            />
          }
          label="Also require a JWT from the platform issuer"
        />
        {(errors['auth.jwt'] || errors['auth.apiKey']) && (
          <FormHelperText error>
            {errors['auth.jwt'] ?? errors['auth.apiKey']}
          </FormHelperText>
        )}
      </Box>
      <Typography variant="subtitle2">Rate limits per API key</Typography>
      {limitField('requestsPerMinute', 'Requests per minute')}
      {limitField('requestsPerHour', 'Requests per hour')}
      {predictive ? (
        <FormHelperText>
          Token limits apply to OpenAI-compatible models only (predictive models
          report no token usage).
        </FormHelperText>
      ) : (
        limitField('tokensPerHour', 'Tokens per hour')
      )}
      {errors.limits && <FormHelperText error>{errors.limits}</FormHelperText>}
    </Box>
  );
}
