import { useId } from 'react';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { Alert } from '@material-ui/lab';
import type { CreatedApiKey } from '@inference-in-a-box/backstage-plugin-inference-common';
import { CopyButton } from '../CopyButton';

/**
 * A key that was just created. It is shown here once: the portal keeps no copy, and the dialog
 * that holds it forgets it when it closes.
 */
export function RevealedKey(props: { created: CreatedApiKey }) {
  const { created } = props;
  const fieldId = useId();
  return (
    <Box display="flex" flexDirection="column" gridGap={12}>
      <Alert severity="warning">
        Copy this key now. It is shown only once and cannot be displayed again;
        if you lose it, rotate or revoke it and create another.
      </Alert>
      <TextField
        id={`${fieldId}-1`}
        label={`New API key (${created.name})`}
        value={created.key}
        InputProps={{ readOnly: true, style: { fontFamily: 'monospace' } }}
        onFocus={e => e.target.select()}
        variant="outlined"
        fullWidth
      />
      <Box>
        <CopyButton text={created.key} />
      </Box>
    </Box>
  );
}
