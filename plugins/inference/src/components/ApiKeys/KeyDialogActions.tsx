import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';

/**
 * The buttons of the create and rotate dialogs: Cancel and the action until a key exists, then
 * only Close, since the revealed key must be copied before the dialog goes.
 */
export function KeyDialogActions(props: {
  revealed: boolean;
  busy: boolean;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { revealed, busy, confirmLabel, onConfirm, onClose } = props;
  return (
    <DialogActions>
      {revealed ? (
        <Button color="primary" variant="contained" onClick={onClose}>
          Close
        </Button>
      ) : (
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            color="primary"
            variant="contained"
            onClick={onConfirm}
            disabled={busy}
          >
            {confirmLabel}
          </Button>
        </>
      )}
    </DialogActions>
  );
}
