import { useId, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import {
  apiKeyCreateSchema,
  type CreatedApiKey,
  formatZodError,
  type ModelLocator,
} from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { ApiErrorPanel, describeError } from '../ApiError';
import { KeyDialogActions } from './KeyDialogActions';
import { RevealedKey } from './RevealedKey';

/**
 * Names and creates a key, then reveals it once. Closing the dialog unmounts it, and the key with
 * it: nothing outside this component ever holds the key's value.
 */
export function CreateKeyDialog(props: {
  locator: ModelLocator;
  suggestedName: string;
  onCreated: () => void;
  onClose: () => void;
}) {
  const { locator, suggestedName, onCreated, onClose } = props;
  const api = useApi(inferenceApiRef);
  const fieldId = useId();
  const [name, setName] = useState(suggestedName);
  const [nameError, setNameError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey>();

  const create = async () => {
    const parsed = apiKeyCreateSchema.safeParse({ name });
    if (!parsed.success) {
      setNameError(formatZodError(parsed.error)[0]?.message);
      return;
    }
    setNameError(undefined);
    setError(undefined);
    setBusy(true);
    try {
      setCreated(await api.createApiKey(locator, parsed.data.name));
      onCreated();
    } catch (e) {
      const nameProblem = describeError(e, ['name']).fields.find(
        f => f.field === 'name',
      );
      if (nameProblem) setNameError(nameProblem.message);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="sm"
      fullWidth
      aria-labelledby="create-key-title"
    >
      <DialogTitle id="create-key-title">
        {created ? 'API key created' : 'Create an API key'}
      </DialogTitle>
      <DialogContent dividers>
        {created ? (
          <RevealedKey created={created} />
        ) : (
          <Box display="flex" flexDirection="column" gridGap={12}>
            {error !== undefined && (
              <ApiErrorPanel error={error} title="Could not create the key" />
            )}
            <TextField
              id={`${fieldId}-1`}
              label="Key name"
              value={name}
              onChange={e => setName(e.target.value)}
              error={Boolean(nameError)}
              helperText={
                nameError ??
                'Tells keys apart, e.g. the client that uses it (lowercase letters, digits, -)'
              }
              variant="outlined"
              size="small"
            />
          </Box>
        )}
      </DialogContent>
      <KeyDialogActions
        revealed={Boolean(created)}
        busy={busy}
        confirmLabel="Create key"
        onConfirm={create}
        onClose={onClose}
      />
    </Dialog>
  );
}
