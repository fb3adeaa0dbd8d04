import { useId } from 'react';
import Box from '@material-ui/core/Box';
import Slider from '@material-ui/core/Slider';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';

/**
 * The new version's share of the traffic, 1-99 %: a slider and a number field that follow each
 * other (the field takes what is typed as is, so a bad value can be reported).
 */
export function ShareField(props: {
  label: string;
  value: string;
  error?: string;
  helperText: string;
  onChange: (value: string) => void;
}) {
  const { label, value, error, helperText, onChange } = props;
  const id = useId();
  const numeric = Number(value);
  const sliderValue =
    Number.isFinite(numeric) && value.trim() !== ''
      ? Math.min(99, Math.max(1, numeric))
      : 1;
  return (
    <Box display="flex" flexDirection="column" gridGap={8}>
      <Typography id={`${id}-slider`} variant="subtitle2">
        {label}
      </Typography>
      <Box px={1}>
        <Slider
          value={sliderValue}
          min={1}
          max={99}
          step={1}
          marks={[
            { value: 1, label: '1 %' },
            { value: 50, label: '50 %' },
            { value: 99, label: '99 %' },
          ]}
          valueLabelDisplay="auto"
          aria-labelledby={`${id}-slider`}
          onChange={(_event, next) => onChange(String(next))}
        />
      </Box>
      <TextField
        id={`${id}-field`}
        label={`${label} (%)`}
        value={value}
        onChange={e => onChange(e.target.value)}
        error={Boolean(error)}
        helperText={error ?? helperText}
        inputProps={{ inputMode: 'numeric' }}
        variant="outlined"
        size="small"
      />
    </Box>
  );
}
