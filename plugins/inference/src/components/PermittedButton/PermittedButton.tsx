import { useId } from 'react';
import Box from '@material-ui/core/Box';
import Button, { type ButtonProps } from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { ModelPermission } from '../../hooks/useModelPermission';

/** Hidden from sight, not from screen readers (the reason a button is disabled). */
const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/**
 * A button for an action guarded by a model permission: disabled while the decision loads, and
 * when denied, disabled with the reason written beside it (and linked as its description).
 * `disabledReason` disables it for another reason (the model's state does not allow the action),
 * shown in a tooltip and linked as its description.
 */
export function PermittedButton(
  props: ButtonProps & { permission: ModelPermission; disabledReason?: string },
) {
  const { permission, disabled, disabledReason, ...buttonProps } = props;
  const reasonId = useId();
  const denied = !permission.loading && !permission.allowed;
  const blocked = permission.allowed && disabledReason !== undefined;
  const button = (
    <Button
      {...buttonProps}
      disabled={disabled || blocked || !permission.allowed}
      aria-describedby={denied || blocked ? reasonId : undefined}
    />
  );
  return (
    <Box display="inline-flex" flexDirection="column" alignItems="flex-start">
      {blocked ? (
        <Tooltip title={disabledReason}>
          {/* A disabled button gets no pointer events: its wrapper shows the tooltip. */}
          <span>{button}</span>
        </Tooltip>
      ) : (
        button
      )}
      {blocked && (
        <span id={reasonId} style={visuallyHidden}>
          {disabledReason}
        </span>
      )}
      {denied && permission.deniedReason && (
        <Typography id={reasonId} variant="caption" color="textSecondary">
          {permission.deniedReason}
        </Typography>
      )}
    </Box>
  );
}
