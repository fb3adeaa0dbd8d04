import { useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  apiKeyRotateSchema,
  formatZodError,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { SelectField } from '../SelectField';
import type { ExistingKeyDialogProps } from './keyDialogProps';
import { NewKeyDialog, useNewKey } from './NewKeyDialog';

const GRACE_PERIODS = [
  { value: '0', label: 'None: the old key stops working now' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '24 hours' },
  { value: '604800', label: '7 days' },
];

/** Replaces a key with a new one (revealed once); the old key keeps working for the grace period. */
export function RotateKeyDialog(props: ExistingKeyDialogProps) {
  const { locator, apiKey, onChanged, onClose } = props;
  const api = useApi(inferenceApiRef);
  const [graceSeconds, setGraceSeconds] = useState(86_400);
  const newKey = useNewKey(onChanged);

  const rotate = () => {
    const parsed = apiKeyRotateSchema.safeParse({ graceSeconds });
    if (!parsed.success) {
      newKey.setError(
        new Error(
          formatZodError(parsed.error)
            .map(f => f.message)
            .join('; '),
        ),
      );
      return;
    }
    newKey.issue(() =>
      api.rotateApiKey(locator, apiKey.id, parsed.data.graceSeconds),
    );
  };

  return (
    <NewKeyDialog
      title={`Rotate key ${apiKey.name}`}
      revealedTitle="Key rotated"
      confirmLabel="Rotate"
      errorTitle="Could not rotate the key"
      newKey={newKey}
      onConfirm={rotate}
      onClose={onClose}
    >
      <Box display="flex" flexDirection="column" gridGap={12}>
        <Typography variant="body2">
          A new key replaces <strong>{apiKey.name}</strong> (ending in{' '}
          {apiKey.last4}). Give clients time to switch with a grace period,
          during which both keys work.
        </Typography>
        <SelectField
          label="Grace period"
          value={String(graceSeconds)}
          options={GRACE_PERIODS}
          onChange={value => setGraceSeconds(Number(value))}
        />
      </Box>
    </NewKeyDialog>
  );
}
