import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type {
  ApiKeyInfo,
  ModelLocator,
} from '@internal/backstage-plugin-inference-common';
import type { ModelPermission } from '../../hooks/useModelPermission';
import { PermittedButton } from '../PermittedButton';
import { CreateKeyDialog } from './CreateKeyDialog';
import { RevokeKeyDialog } from './RevokeKeyDialog';
import { RotateKeyDialog } from './RotateKeyDialog';

type OpenDialog =
  | { kind: 'create' }
  | { kind: 'rotate'; apiKey: ApiKeyInfo }
  | { kind: 'revoke'; apiKey: ApiKeyInfo };

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
        <Table size="small" aria-label="API keys">
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Created</TableCell>
              <TableCell>Key</TableCell>
              <TableCell>Expires</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
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
                  {key.expiresAt ? formatTime(key.expiresAt) : 'Never'}
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    disabled={!permission.allowed}
                    onClick={() => setDialog({ kind: 'rotate', apiKey: key })}
                    aria-label={`Rotate ${key.name}`}
                  >
                    Rotate
                  </Button>
                  <Button
                    size="small"
                    color="secondary"
                    disabled={!permission.allowed}
                    onClick={() => setDialog({ kind: 'revoke', apiKey: key })}
                    aria-label={`Revoke ${key.name}`}
                  >
                    Revoke
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {dialog?.kind === 'create' && (
        <CreateKeyDialog
          locator={locator}
          suggestedName={suggestKeyName(keys)}
          onCreated={onChanged}
          onClose={close}
        />
      )}
      {dialog?.kind === 'rotate' && (
        <RotateKeyDialog
          locator={locator}
          apiKey={dialog.apiKey}
          onRotated={onChanged}
          onClose={close}
        />
      )}
      {dialog?.kind === 'revoke' && (
        <RevokeKeyDialog
          locator={locator}
          apiKey={dialog.apiKey}
          onRevoked={onChanged}
          onClose={close}
        />
      )}
    </InfoCard>
  );
}
