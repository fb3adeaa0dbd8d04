import { useId } from 'react';
import TextField, { type TextFieldProps } from '@material-ui/core/TextField';

export interface SelectOption {
  value: string;
  label: string;
}

/**
 * A labelled drop-down (a native select, which tests and keyboards drive like any form control) in
 * the outlined, small style of the plugin's forms.
 */
export function SelectField(
  props: {
    label: string;
    value: string;
    options: readonly SelectOption[];
    onChange: (value: string) => void;
  } & Pick<
    TextFieldProps,
    'error' | 'helperText' | 'InputLabelProps' | 'style'
  >,
) {
  const { label, value, options, onChange, ...textFieldProps } = props;
  const id = useId();
  return (
    <TextField
      {...textFieldProps}
      id={id}
      select
      label={label}
      value={value}
      onChange={e => onChange(e.target.value)}
      SelectProps={{ native: true }}
      variant="outlined"
      size="small"
    >
      {options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}
