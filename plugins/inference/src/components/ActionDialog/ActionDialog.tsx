import { type ReactNode, useId } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { ApiErrorPanel } from '../ApiErrorPanel';

/** A button of the dialog's action bar. */
export interface DialogButton {
  label: string;
  onClick: () => void;
  disabled?: boolean;
}

/** The main (contained) button: the dialog's action, or Close once it is done. */
export interface DialogMainButton extends DialogButton {
  /** `secondary` for destructive actions. */
  color?: 'primary' | 'secondary';
  startIcon?: ReactNode;
}

/**
 * The frame every dialog of the plugin shares: a title (which names the dialog), the content with
 * the backend's error above it, and an action bar of a text button (Cancel unless said otherwise)
 * and the main button. While `busy` the main button is disabled, so an action is not sent twice;
 * with `lockWhileBusy` the dialog also cannot be closed then, for actions whose outcome the user
 * must see.
 */
export function ActionDialog(props: {
  title: ReactNode;
  onClose: () => void;
  main: DialogMainButton;
  /** The text button beside the main one; Cancel (closing the dialog) by default, `null` for none. */
  secondary?: DialogButton | null;
  busy?: boolean;
  lockWhileBusy?: boolean;
  /** A failed call, shown above the content (nothing is shown while undefined). */
  error?: unknown;
  errorTitle?: string;
  /** `md` for dialogs that list objects. */
  width?: 'sm' | 'md';
  children: ReactNode;
}) {
  const {
    title,
    onClose,
    main,
    secondary = { label: 'Cancel', onClick: onClose },
    busy = false,
    lockWhileBusy = false,
    error,
    errorTitle,
    width,
    children,
  } = props;
  const titleId = useId();
  const locked = busy && lockWhileBusy;
  return (
    <Dialog
      open
      onClose={locked ? undefined : onClose}
      maxWidth={width}
      fullWidth={width !== undefined}
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent dividers>
        {error !== undefined && (
          <Box mb={2}>
            <ApiErrorPanel error={error} title={errorTitle} />
          </Box>
        )}
        {children}
      </DialogContent>
      <DialogActions>
        {secondary && (
          <Button
            onClick={secondary.onClick}
            disabled={secondary.disabled || locked}
          >
            {secondary.label}
          </Button>
        )}
        <Button
          color={main.color ?? 'primary'}
          variant="contained"
          onClick={main.onClick}
          disabled={main.disabled || busy}
          startIcon={main.startIcon}
        >
          {main.label}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
