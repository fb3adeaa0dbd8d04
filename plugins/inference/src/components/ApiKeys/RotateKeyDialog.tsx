import { useId, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import Box from '@material-ui/core/Box';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  type ApiKeyInfo,
  apiKeyRotateSchema,
  type CreatedApiKey,
  formatZodError,
  type ModelLocator,
} from '@internal/backstage-plugin-inference-common';
import { inferenceApiRef } from '../../api';
import { ApiErrorPanel } from '../ApiError';
import { KeyDialogActions } from './KeyDialogActions';
import { RevealedKey } from './RevealedKey';

const GRACE_PERIODS = [
  { seconds: 0, label: 'None: the old key stops working now' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 604_800, label: '7 days' },
];

/** Replaces a key with a new one (revealed once); the old key keeps working for the grace period. */
export function RotateKeyDialog(props: {
  locator: ModelLocator;
  apiKey: ApiKeyInfo;
  onRotated: () => void;
  onClose: () => void;
}) {
  const { locator, apiKey, onRotated, onClose } = props;
  const api = useApi(inferenceApiRef);
  const fieldId = useId();
  const [graceSeconds, setGraceSeconds] = useState(86_400);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedApiKey>();

  const rotate = async () => {
    const parsed = apiKeyRotateSchema.safeParse({ graceSeconds });
    if (!parsed.success) {
      setError(
        new Error(
          formatZodError(parsed.error)
            .map(f => f.message)
            .join('; '),
        ),
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      setCreated(
        await api.rotateApiKey(locator, apiKey.id, parsed.data.graceSeconds),
      );
      onRotated();
    } catch (e) {
      setError(e);
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
      aria-labelledby="rotate-key-title"
    >
      <DialogTitle id="rotate-key-title">
        {created ? 'Key rotated' : `Rotate key ${apiKey.name}`}
      </DialogTitle>
      <DialogContent dividers>
        {created ? (
          <RevealedKey created={created} />
        ) : (
          <Box display="flex" flexDirection="column" gridGap={12}>
            {error !== undefined && (
              <ApiErrorPanel error={error} title="Could not rotate the key" />
            )}
            <Typography variant="body2">
              A new key replaces <strong>{apiKey.name}</strong> (ending in{' '}
              {apiKey.last4}). Give clients time to switch with a grace period,
              during which both keys work.
            </Typography>
            <TextField
              id={`${fieldId}-1`}
              select
              label="Grace period"
              value={graceSeconds}
              onChange={e => setGraceSeconds(Number(e.target.value))}
              SelectProps={{ native: true }}
              variant="outlined"
              size="small"
            >
              {GRACE_PERIODS.map(p => (
                <option key={p.seconds} value={p.seconds}>
                  {p.label}
                </option>
              ))}
            </TextField>
          </Box>
        )}
      </DialogContent>
      <KeyDialogActions
        revealed={Boolean(created)}
        busy={busy}
        confirmLabel="Rotate"
        onConfirm={rotate}
        onClose={onClose}
      />
    </Dialog>
  );
}
