import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import type {
  ModelLocator,
  ModelType,
  PlannedChange,
  PublicationSummary,
  PublishRequest,
} from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { ApiErrorPanel, describeError, hasUnshownDetails } from '../ApiError';
import { type ApplyState, ApplyStep } from './ApplyStep';
import {
  type FieldErrors,
  initialPublishFormValues,
  PUBLISH_FORM_FIELDS,
  type PublishFormValues,
  validatePublishForm,
} from './publishForm';
import { PublishFormFields } from './PublishFormFields';
import { ReviewStep } from './ReviewStep';

type WizardStep =
  | { step: 'form'; reviewing: boolean; error?: unknown }
  | { step: 'review'; request: PublishRequest; changes: PlannedChange[] }
  | {
      step: 'apply';
      request: PublishRequest;
      changes: PlannedChange[];
      apply: ApplyState;
    };

const STEP_INDEX = { form: 0, review: 1, apply: 2 } as const;

/**
 * Publish (or update a publication) in three steps: the form, validated with the backend's schema;
 * a review of the dry run's per-object changes; and the apply with its outcome.
 */
export function PublishDialog(props: {
  open: boolean;
  locator: ModelLocator;
  /** What the catalog says the model is. */
  modelType?: ModelType;
  current?: PublicationSummary;
  onClose: () => void;
  onPublished: (publication?: PublicationSummary) => void;
}) {
  const { open, locator, modelType, onClose, onPublished } = props;
  const api = useApi(inferenceApiRef);
  // The publication as it was when the dialog opened: publishing refreshes the page's copy.
  const [current] = useState(props.current);
  const [values, setValues] = useState<PublishFormValues>(() =>
    initialPublishFormValues(
      { name: locator.name, modelType: current?.modelType ?? modelType },
      current,
    ),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [step, setStep] = useState<WizardStep>({
    step: 'form',
    reviewing: false,
  });
  const effectiveType = values.modelType || current?.modelType || modelType;
  const target = { name: locator.name, effectiveType };

  const review = async () => {
    const validated = validatePublishForm(values, target);
    if (!validated.request) {
      setErrors(validated.errors);
      return;
    }
    setErrors({});
    setStep({ step: 'form', reviewing: true });
    try {
      const result = await api.publish(locator, validated.request, {
        dryRun: true,
      });
      setStep({
        step: 'review',
        request: validated.request,
        changes: result.changes,
      });
    } catch (error) {
      // The backend's field errors go next to their inputs; the rest shows above the form.
      const backendFields: FieldErrors = {};
      for (const f of describeError(error, PUBLISH_FORM_FIELDS).fields) {
        if ((PUBLISH_FORM_FIELDS as readonly string[]).includes(f.field)) {
          backendFields[f.field] ??= f.message;
        }
      }
      setErrors(backendFields);
      setStep({ step: 'form', reviewing: false, error });
    }
  };

  const apply = async (request: PublishRequest, changes: PlannedChange[]) => {
    setStep({ step: 'apply', request, changes, apply: { state: 'applying' } });
    try {
      const result = await api.publish(locator, request);
      setStep({
        step: 'apply',
        request,
        changes,
        apply: { state: 'done', result },
      });
      onPublished(result.publication);
    } catch (error) {
      setStep({
        step: 'apply',
        request,
        changes,
        apply: { state: 'failed', error },
      });
    }
  };

  const applying = step.step === 'apply' && step.apply.state === 'applying';
  const shownFields = Object.keys(errors);
  return (
    <Dialog
      open={open}
      onClose={applying ? undefined : onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby="publish-dialog-title"
    >
      <DialogTitle id="publish-dialog-title">
        {current ? 'Update publication' : 'Publish'} {locator.name}
      </DialogTitle>
      <DialogContent dividers>
        <Stepper activeStep={STEP_INDEX[step.step]} alternativeLabel>
          <Step>
            <StepLabel>Details</StepLabel>
          </Step>
          <Step>
            <StepLabel>Review changes</StepLabel>
          </Step>
          <Step>
            <StepLabel>Apply</StepLabel>
          </Step>
        </Stepper>
        {step.step === 'form' && (
          <>
            {step.error !== undefined &&
              hasUnshownDetails(
                describeError(step.error, PUBLISH_FORM_FIELDS),
                shownFields,
              ) && (
                <Box mb={2}>
                  <ApiErrorPanel
                    error={step.error}
                    title="The backend refused this publication"
                    knownFields={PUBLISH_FORM_FIELDS}
                    shownFields={shownFields}
                  />
                </Box>
              )}
            <PublishFormFields
              values={values}
              errors={errors}
              effectiveType={effectiveType}
              onChange={setValues}
            />
          </>
        )}
        {step.step === 'review' && <ReviewStep changes={step.changes} />}
        {step.step === 'apply' && (
          <ApplyStep planned={step.changes} apply={step.apply} />
        )}
      </DialogContent>
      <DialogActions>
        {step.step === 'form' && (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button
              color="primary"
              variant="contained"
              onClick={review}
              disabled={step.reviewing}
              startIcon={
                step.reviewing ? <CircularProgress size={16} /> : undefined
              }
            >
              Review
            </Button>
          </>
        )}
        {step.step === 'review' && (
          <>
            <Button onClick={() => setStep({ step: 'form', reviewing: false })}>
              Back
            </Button>
            <Button
              color="primary"
              variant="contained"
              onClick={() => apply(step.request, step.changes)}
            >
              Apply
            </Button>
          </>
        )}
        {step.step === 'apply' && step.apply.state === 'failed' && (
          <>
            <Button onClick={() => setStep({ step: 'form', reviewing: false })}>
              Back to the form
            </Button>
            <Button
              color="primary"
              variant="contained"
              onClick={() => apply(step.request, step.changes)}
            >
              Retry
            </Button>
          </>
        )}
        {step.step === 'apply' && step.apply.state !== 'failed' && (
          <Button
            color="primary"
            variant="contained"
            onClick={onClose}
            disabled={applying}
          >
            Close
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
