import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  ApiKeyInfo,
  CreatedApiKey,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { EndpointContent } from '../EndpointContent';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { publication } from '../../__testUtils__/fixtures';
import { renderForModel } from '../../__testUtils__/render';
import {
  clickIn,
  openDialog,
  replaceText,
} from '../../__testUtils__/userActions';

const SECRET = 'iiab_4fJ9dQ2mX7pL0sV8kR3tY6wZ1bN5cH8gabcd';
const existing: ApiKeyInfo = {
  id: 'key-000000000001',
  name: 'key-1',
  createdAt: '2026-01-01T10:00:00Z',
  last4: 'wxyz',
};

function keysApi() {
  let keys = [existing];
  const created: CreatedApiKey = {
    id: 'key-000000000002',
    name: 'key-2',
    createdAt: '2026-01-02T10:00:00Z',
    last4: 'abcd',
    key: SECRET,
  };
  return fakeInferenceApi({
    getPublication: jest.fn(async () => publication({ apiKeys: keys })),
    createApiKey: jest.fn(async () => {
      const { key: _key, ...info } = created;
      keys = [...keys, info];
      return created;
    }),
    rotateApiKey: jest.fn(async () => {
      keys = [
        { ...existing, expiresAt: '2026-01-03T10:00:00Z' },
        { ...created, name: 'key-1', id: 'key-000000000003' },
      ];
      return { ...created, name: 'key-1', id: 'key-000000000003' };
    }),
    revokeApiKey: jest.fn(async () => {
      keys = [];
    }),
  });
}

/** Renders the Endpoint tab of a publication with one key, key-1, and returns its API. */
async function renderKeys() {
  const api = keysApi();
  await renderForModel(<EndpointContent />, { api });
  return api;
}

describe('API keys', () => {
  it('shows a new key once, forgets it on close, and lists only its last four characters', async () => {
    const api = await renderKeys();
    expect(await screen.findByText('••••wxyz')).toBeInTheDocument();

    const dialog = await openDialog('Create key');
    expect(within(dialog).getByLabelText('Key name')).toHaveValue('key-2');
    await clickIn(dialog, 'Create key');

    expect(await within(dialog).findByDisplayValue(SECRET)).toBeInTheDocument();
    expect(within(dialog).getByText(/shown only once/)).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Copy' }),
    ).toBeInTheDocument();
    expect(api.createApiKey).toHaveBeenCalledWith(
      { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' },
      'key-2',
    );
    // The list refreshed behind the dialog without tearing it down.
    expect(await screen.findByText('••••abcd')).toBeInTheDocument();
    expect(within(dialog).getByDisplayValue(SECRET)).toBeInTheDocument();

    await clickIn(dialog, 'Close');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(screen.getByText('••••abcd')).toBeInTheDocument();

    // Opening the dialog again starts over: the key is not kept anywhere.
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(await screen.findByLabelText('Key name')).toHaveValue('key-3');
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('validates the key name with the backend schema before calling it', async () => {
    const api = await renderKeys();
    const dialog = await openDialog('Create key');
    await replaceText(dialog, 'Key name', 'CI Runner');
    await clickIn(dialog, 'Create key');
    expect(
      within(dialog).getByText(
        "must consist of lowercase letters, digits and '-', and start and end with a letter or digit",
      ),
    ).toBeInTheDocument();
    expect(api.createApiKey).not.toHaveBeenCalled();
  });

  it('rotates a key with a grace period and reveals the new key once', async () => {
    const api = await renderKeys();
    const dialog = await openDialog('Rotate key-1');
    await userEvent.selectOptions(
      within(dialog).getByLabelText('Grace period'),
      '3600',
    );
    await clickIn(dialog, 'Rotate');
    expect(await within(dialog).findByDisplayValue(SECRET)).toBeInTheDocument();
    expect(api.rotateApiKey).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'sklearn-iris' }),
      existing.id,
      3600,
    );
    await clickIn(dialog, 'Close');
    await waitFor(() =>
      expect(document.body.textContent).not.toContain(SECRET),
    );
  });

  it('revokes a key after confirmation', async () => {
    const api = await renderKeys();
    const dialog = await openDialog('Revoke key-1');
    expect(within(dialog).getByText(/ending in wxyz/)).toBeInTheDocument();
    await clickIn(dialog, 'Revoke');
    expect(await screen.findByText(/No keys yet/)).toBeInTheDocument();
    expect(api.revokeApiKey).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'sklearn-iris' }),
      existing.id,
    );
  });

  it('shows a key past its expiry that still works as expired, not hidden, and only revocable', async () => {
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () =>
        publication({
          apiKeys: [
            {
              ...existing,
              expiresAt: '2026-01-03T10:00:00Z',
              expired: true,
            },
          ],
        }),
      ),
    });
    await renderForModel(<EndpointContent />, { api });
    expect(await screen.findByText('••••wxyz')).toBeInTheDocument();
    expect(screen.getByLabelText('Key key-1 expired')).toHaveTextContent(
      /Expired .*still accepted until removed/,
    );
    expect(screen.getByRole('button', { name: 'Rotate key-1' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Revoke key-1' })).toBeEnabled();
  });
});
