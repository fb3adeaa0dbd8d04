import {
  USAGE_WINDOWS,
  type UsageWindow,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import { WINDOW_LABELS } from '../../usage/formatUsage';

/** The window the usage figures cover: the last hour, day or week. */
export function UsageWindowPicker(props: {
  value: UsageWindow;
  onChange: (window: UsageWindow) => void;
}) {
  const { value, onChange } = props;
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      aria-label="Time window"
      // A click on the selected button would unselect it: there is always a window.
      onChange={(_event, next: UsageWindow | null) => next && onChange(next)}
    >
      {USAGE_WINDOWS.map(window => (
        <ToggleButton
          key={window}
          value={window}
          aria-label={`Last ${WINDOW_LABELS[window]}`}
          style={{ textTransform: 'none', padding: '4px 12px' }}
        >
          {WINDOW_LABELS[window]}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
