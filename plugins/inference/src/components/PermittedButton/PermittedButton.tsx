import { useId } from 'react';
import Box from '@material-ui/core/Box';
import Button, { type ButtonProps } from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { ModelPermission } from '../../hooks/useModelPermission';

/**
 * A button for an action guarded by a model permission: disabled while the decision loads, and
 * when denied, disabled with the reason written beside it (and linked as its description).
 */
export function PermittedButton(
  props: ButtonProps & { permission: ModelPermission },
) {
  const { permission, disabled, ...buttonProps } = props;
  const reasonId = useId();
  const denied = !permission.loading && !permission.allowed;
  return (
    <Box display="inline-flex" flexDirection="column" alignItems="flex-start">
      <Button
        {...buttonProps}
        disabled={disabled || !permission.allowed}
        aria-describedby={denied ? reasonId : undefined}
      />
      {denied && permission.deniedReason && (
        <Typography id={reasonId} variant="caption" color="textSecondary">
          {permission.deniedReason}
        </Typography>
      )}
    </Box>
  );
}
