import { useState } from 'react';

/**
 * The state of a dialog's action: `busy` while it runs, and the error it failed with, to show in
 * the dialog. `run` clears the last error, sends the action and hands its result to `onDone`; a
 * failure goes to `onError` when given (e.g. to show it at a form field), else to `error`.
 */
export function useDialogAction() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const run = async <T>(
    action: () => Promise<T>,
    onDone: (result: T) => void,
    onError: (error: unknown) => void = setError,
  ) => {
    setError(undefined);
    setBusy(true);
    try {
      onDone(await action());
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

export type DialogAction = ReturnType<typeof useDialogAction>;
