import CircularProgress from '@material-ui/core/CircularProgress';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import type { DialogMainButton } from './ActionDialog';

/** The steps of a dialog that goes through several (a form, a review, ...), with `active` marked. */
export function DialogSteps(props: {
  labels: readonly string[];
  active: number;
}) {
  return (
    <Stepper activeStep={props.active} alternativeLabel>
      {props.labels.map(label => (
        <Step key={label}>
          <StepLabel>{label}</StepLabel>
        </Step>
      ))}
    </Stepper>
  );
}

/** The main button of a step that plans with a dry run: Review, disabled with a spinner while it runs. */
export function reviewButton(
  onClick: () => void,
  reviewing: boolean,
): DialogMainButton {
  return {
    label: 'Review',
    onClick,
    disabled: reviewing,
    startIcon: reviewing ? <CircularProgress size={16} /> : undefined,
  };
}
