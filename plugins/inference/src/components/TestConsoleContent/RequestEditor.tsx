import { useId } from 'react';
import TextField from '@material-ui/core/TextField';

/** Parses the editor's text: empty means no body. */
export function parseRequestBody(text: string): {
  body?: unknown;
  error?: string;
} {
  if (text.trim() === '') return {};
  try {
    return { body: JSON.parse(text) };
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
}

/** The request body, edited as JSON text, with the parse error shown under it. */
export function RequestEditor(props: {
  value: string;
  error?: string;
  disabled?: boolean;
  onChange: (value: string) => void;
}) {
  const { value, error, disabled, onChange } = props;
  const fieldId = useId();
  return (
    <TextField
      id={`${fieldId}-1`}
      label="Request body (JSON)"
      value={value}
      onChange={e => onChange(e.target.value)}
      error={Boolean(error)}
      helperText={error ?? (disabled ? 'This request has no body' : ' ')}
      disabled={disabled}
      multiline
      minRows={10}
      maxRows={30}
      fullWidth
      variant="outlined"
      inputProps={{
        spellCheck: false,
        style: { fontFamily: 'monospace', fontSize: 13 },
      }}
    />
  );
}
