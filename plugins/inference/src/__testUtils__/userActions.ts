import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/** Clicks the page's button of that name (once it shows) and returns the dialog it opens. */
export async function openDialog(buttonName: string): Promise<HTMLElement> {
  await userEvent.click(
    await screen.findByRole('button', { name: buttonName }),
  );
  return screen.findByRole('dialog');
}

/** Clicks the dialog's button of that name (once it shows). */
export async function clickIn(dialog: HTMLElement, buttonName: string) {
  await userEvent.click(
    await within(dialog).findByRole('button', { name: buttonName }),
  );
}

/** Replaces the text of the dialog's field with that label. */
export async function replaceText(
  dialog: HTMLElement,
  label: string | RegExp,
  text: string,
) {
  const field = within(dialog).getByLabelText(label);
  await userEvent.clear(field);
  await userEvent.type(field, text);
}
