import { useId, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import TextField from '@material-ui/core/TextField';
import {
  apiKeyCreateSchema,
  formatZodError,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { describeError } from '../ApiErrorPanel';
import type { KeyDialogProps } from './keyDialogProps';
import { NewKeyDialog, useNewKey } from './NewKeyDialog';

/** Names and creates a key, then reveals it once. */
export function CreateKeyDialog(
  props: KeyDialogProps & { suggestedName: string },
) {
  const { locator, suggestedName, onChanged, onClose } = props;
  const api = useApi(inferenceApiRef);
  const fieldId = useId();
  const [name, setName] = useState(suggestedName);
  const [nameError, setNameError] = useState<string>();
  const newKey = useNewKey(onChanged);

  const create = () => {
    const parsed = apiKeyCreateSchema.safeParse({ name });
    if (!parsed.success) {
      setNameError(formatZodError(parsed.error)[0]?.message);
      return;
    }
    setNameError(undefined);
    newKey.issue(
      () => api.createApiKey(locator, parsed.data.name),
      // The backend's objection to the name (e.g. taken) shows at the field.
      error => {
        const nameProblem = describeError(error, ['name']).fields.find(
          f => f.field === 'name',
        );
        if (nameProblem) setNameError(nameProblem.message);
        else newKey.setError(error);
      },
    );
  };

  return (
    <NewKeyDialog
      title="Create an API key"
      revealedTitle="API key created"
      confirmLabel="Create key"
      errorTitle="Could not create the key"
      newKey={newKey}
      onConfirm={create}
      onClose={onClose}
    >
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
        fullWidth
      />
    </NewKeyDialog>
  );
}
