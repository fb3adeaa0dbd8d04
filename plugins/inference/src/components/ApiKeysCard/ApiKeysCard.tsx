import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  ApiKeyInfo,
  ModelLocator,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelPermission } from '../../hooks/useModelPermission';
import { CompactTable } from '../CompactTable';
import { PermittedButton } from '../PermittedButton';
import { CreateKeyDialog } from './CreateKeyDialog';
import { RevokeKeyDialog } from './RevokeKeyDialog';
import { RotateKeyDialog } from './RotateKeyDialog';

/** What each key's row offers, with the dialog that does it; revoking is destructive, hence its colour. */
const KEY_ACTIONS = [
  { label: 'Rotate', color: 'default', Dialog: RotateKeyDialog },
  { label: 'Revoke', color: 'secondary', Dialog: RevokeKeyDialog },
] as const;

type OpenDialog =
  | { kind: 'create' }
  | { kind: 'key'; action: (typeof KEY_ACTIONS)[number]; apiKey: ApiKeyInfo };

/** `key-1`, `key-2`, ...: the first free one, so creating a key can be a single click. */
export function suggestKeyName(keys: ApiKeyInfo[]): string {
  const taken = new Set(keys.map(k => k.name));
  let n = keys.length + 1;
  while (taken.has(`key-${n}`)) n++;
  return `key-${n}`;
}

const formatTime = (iso: string) => new Date(iso).toLocaleString();

/**
 * The publication's API keys: name, creation time and last four characters only (the backend never
 * returns a key twice), with create, rotate and revoke.
 */
export function ApiKeysCard(props: {
  locator: ModelLocator;
  keys: ApiKeyInfo[];
  permission: ModelPermission;
  onChanged: () => void;
}) {
  const { locator, keys, permission, onChanged } = props;
  const [dialog, setDialog] = useState<OpenDialog>();
  const close = () => setDialog(undefined);
  return (
    <InfoCard title="API keys">
      <Box mb={2}>
        <PermittedButton
          permission={permission}
          color="primary"
          variant="contained"
          onClick={() => setDialog({ kind: 'create' })}
        >
          Create key
        </PermittedButton>
      </Box>
      {keys.length === 0 ? (
        <Typography color="textSecondary">
          No keys yet: create one to call the endpoint. Every request needs a
          key.
        </Typography>
      ) : (
        <CompactTable
          label="API keys"
          headers={['Name', 'Created', 'Key', 'Expires', 'Actions']}
        >
          {keys.map(key => (
            <TableRow key={key.id}>
              <TableCell>{key.name}</TableCell>
              <TableCell>{formatTime(key.createdAt)}</TableCell>
              <TableCell>
                <code aria-label={`Key ending in ${key.last4}`}>
                  ••••{key.last4}
                </code>
              </TableCell>
              <TableCell>
                {key.expired ? (
                  // Past its grace period but still in the Secret: it still works until the
                  // expiry task removes it (about a minute), so it is shown, never hidden.
                  <Typography
                    variant="body2"
                    color="error"
                    aria-label={`Key ${key.name} expired`}
                  >
                    Expired {formatTime(key.expiresAt!)}: still accepted until
                    removed (within about a minute)
                  </Typography>
                ) : (
                  <>{key.expiresAt ? formatTime(key.expiresAt) : 'Never'}</>
                )}
              </TableCell>
              <TableCell>
                {KEY_ACTIONS.map(action => (
                  <Button
                    key={action.label}
                    size="small"
                    color={action.color}
                    // An expired key can only be revoked (sooner than the expiry task would).
                    disabled={
                      !permission.allowed ||
                      (key.expired && action.label === 'Rotate')
                    }
                    onClick={() =>
                      setDialog({ kind: 'key', action, apiKey: key })
                    }
                    aria-label={`${action.label} ${key.name}`}
                  >
                    {action.label}
                  </Button>
                ))}
              </TableCell>
            </TableRow>
          ))}
        </CompactTable>
      )}
      {dialog?.kind === 'create' && (
        <CreateKeyDialog
          locator={locator}
          suggestedName={suggestKeyName(keys)}
          onChanged={onChanged}
          onClose={close}
        />
      )}
      {dialog?.kind === 'key' && (
        <dialog.action.Dialog
          locator={locator}
          apiKey={dialog.apiKey}
          onChanged={onChanged}
          onClose={close}
        />
      )}
    </InfoCard>
  );
}
