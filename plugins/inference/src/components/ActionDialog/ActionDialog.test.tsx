import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { ActionDialog } from './ActionDialog';

/** Renders a dialog titled "Do it?" whose action is "Do it", with the given props. */
async function renderDialog(
  props: Partial<Parameters<typeof ActionDialog>[0]> = {},
) {
  const onClose = jest.fn();
  const onConfirm = jest.fn();
  renderInTestApp(
    <ActionDialog
      title="Do it?"
      onClose={onClose}
      main={{ label: 'Do it', onClick: onConfirm }}
      {...props}
    >
      What doing it means.
    </ActionDialog>,
  );
  const dialog = await screen.findByRole('dialog', { name: 'Do it?' });
  return { dialog, onClose, onConfirm };
}

describe('ActionDialog', () => {
  it('shows the failed call above the content and offers Cancel and the action', async () => {
    const { dialog, onClose, onConfirm } = await renderDialog({
      error: new Error('The backend said no'),
      errorTitle: 'Could not do it',
    });
    const alert = within(dialog).getByRole('alert');
    expect(alert).toHaveTextContent('Could not do it');
    expect(alert).toHaveTextContent('The backend said no');
    expect(within(dialog).getByText('What doing it means.')).toBeVisible();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Do it' }),
    );
    expect(onConfirm).toHaveBeenCalledTimes(1);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Cancel' }),
    );
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it.each([
    [false, 'can still be closed'],
    [true, 'cannot be closed'],
  ])(
    'disables the action while busy; with lockWhileBusy %s the dialog %s',
    async lockWhileBusy => {
      const { dialog, onClose } = await renderDialog({
        busy: true,
        lockWhileBusy,
      });
      expect(
        within(dialog).getByRole('button', { name: 'Do it' }),
      ).toBeDisabled();
      expect(
        within(dialog).getByRole('button', { name: 'Cancel' }),
      ).toHaveProperty('disabled', lockWhileBusy);
      await userEvent.keyboard('{Escape}');
      expect(onClose).toHaveBeenCalledTimes(lockWhileBusy ? 0 : 1);
    },
  );
});
