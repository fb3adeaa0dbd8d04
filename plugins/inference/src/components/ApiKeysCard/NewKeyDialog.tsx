import { type ReactNode, useState } from 'react';
import type { CreatedApiKey } from '@inference-in-a-box/backstage-plugin-inference-common';
import { ActionDialog, useDialogAction } from '../ActionDialog';
import { RevealedKey } from './RevealedKey';

/**
 * The state of a dialog that asks the backend for a new key: `issue` sends the request and, once
 * the key exists, keeps it in `created` (for this dialog only) and calls `onIssued`.
 */
export function useNewKey(onIssued: () => void) {
  const action = useDialogAction();
  const [created, setCreated] = useState<CreatedApiKey>();
  const issue = (
    request: () => Promise<CreatedApiKey>,
    onError?: (error: unknown) => void,
  ) =>
    action.run(
      request,
      key => {
        setCreated(key);
        onIssued();
      },
      onError,
    );
  return { ...action, created, issue };
}

/**
 * The create and rotate dialogs: a form until the backend has made the key, then the key, revealed
 * once. From then on the only button is Close, since the key must be copied before the dialog goes;
 * closing unmounts the dialog and the key with it, so nothing outside it ever holds the key's value.
 */
export function NewKeyDialog(props: {
  newKey: ReturnType<typeof useNewKey>;
  /** The title while the form shows, and once the key is revealed. */
  title: string;
  revealedTitle: string;
  confirmLabel: string;
  errorTitle: string;
  onConfirm: () => void;
  onClose: () => void;
  /** The form. */
  children: ReactNode;
}) {
  const { newKey, onConfirm, onClose } = props;
  const { created } = newKey;
  return (
    <ActionDialog
      title={created ? props.revealedTitle : props.title}
      width="sm"
      busy={newKey.busy}
      error={created ? undefined : newKey.error}
      errorTitle={props.errorTitle}
      onClose={onClose}
      secondary={created ? null : undefined}
      main={
        created
          ? { label: 'Close', onClick: onClose }
          : { label: props.confirmLabel, onClick: onConfirm }
      }
    >
      {created ? <RevealedKey created={created} /> : props.children}
    </ActionDialog>
  );
}
