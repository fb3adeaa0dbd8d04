import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  ModelLocator,
  ModelType,
  PlannedChange,
  PublicationSummary,
  PublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import {
  ActionDialog,
  type DialogButton,
  type DialogMainButton,
  DialogSteps,
  reviewButton,
} from '../ActionDialog';
import { describeError, FormErrorPanel } from '../ApiErrorPanel';
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

const STEP_LABELS = ['Details', 'Review changes', 'Apply'];
const STEP_INDEX = { form: 0, review: 1, apply: 2 } as const;

/** The buttons of each step: what moves the wizard on, and what goes back. */
function stepButtons(
  step: WizardStep,
  actions: {
    review: () => void;
    apply: (request: PublishRequest, changes: PlannedChange[]) => void;
    backToForm: () => void;
    close: () => void;
  },
): { main: DialogMainButton; secondary?: DialogButton | null } {
  if (step.step === 'form') {
    return { main: reviewButton(actions.review, step.reviewing) };
  }
  const apply = () => actions.apply(step.request, step.changes);
  if (step.step === 'review') {
    return {
      secondary: { label: 'Back', onClick: actions.backToForm },
      main: { label: 'Apply', onClick: apply },
    };
  }
  if (step.apply.state === 'failed') {
    return {
      secondary: { label: 'Back to the form', onClick: actions.backToForm },
      main: { label: 'Retry', onClick: apply },
    };
  }
  return { secondary: null, main: { label: 'Close', onClick: actions.close } };
}

/**
 * Publish (or update a publication) in three steps: the form, validated with the backend's schema;
 * a review of the dry run's per-object changes; and the apply with its outcome.
 */
export function PublishDialog(props: {
  locator: ModelLocator;
  /** What the catalog says the model is. */
  modelType?: ModelType;
  current?: PublicationSummary;
  onClose: () => void;
  onPublished: (publication?: PublicationSummary) => void;
}) {
  const { locator, modelType, onClose, onPublished } = props;
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
    const show = (state: ApplyState) =>
      setStep({ step: 'apply', request, changes, apply: state });
    show({ state: 'applying' });
    try {
      const result = await api.publish(locator, request);
      show({ state: 'done', result });
      onPublished(result.publication);
    } catch (error) {
      show({ state: 'failed', error });
    }
  };

  return (
    <ActionDialog
      title={`${current ? 'Update publication' : 'Publish'} ${locator.name}`}
      width="md"
      // While applying, the dialog stays open: it must show what was applied.
      busy={step.step === 'apply' && step.apply.state === 'applying'}
      lockWhileBusy
      onClose={onClose}
      {...stepButtons(step, {
        review,
        apply,
        backToForm: () => setStep({ step: 'form', reviewing: false }),
        close: onClose,
      })}
    >
      <DialogSteps labels={STEP_LABELS} active={STEP_INDEX[step.step]} />
      {step.step === 'form' && (
        <>
          {step.error !== undefined && (
            <FormErrorPanel
              error={step.error}
              title="The backend refused this publication"
              knownFields={PUBLISH_FORM_FIELDS}
              shownFields={Object.keys(errors)}
            />
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
    </ActionDialog>
  );
}
