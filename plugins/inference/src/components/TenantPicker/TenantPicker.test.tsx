import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { fakeInferenceApi } from '../../__testUtils__/fakeInferenceApi';
import { renderWithApi } from '../../__testUtils__/render';
import { TenantPicker } from './TenantPicker';

const tenant = (name: string) => ({
  ref: `group:default/${name}`,
  name,
  title: name.replace('tenant-', 'Tenant ').toUpperCase(),
  cluster: 'local',
  namespace: name,
  members: [],
  namespaceState: 'Active' as const,
});

function props(onChange = jest.fn()) {
  return {
    onChange,
    formData: undefined,
    required: true,
    rawErrors: [],
    schema: { title: 'Tenant', description: 'Where to deploy' },
    idSchema: { $id: 'root_tenant' },
    uiSchema: {},
  } as unknown as FieldExtensionComponentProps<string>;
}

describe('TenantPicker', () => {
  it("offers only the tenants the backend lists for the user and returns the group's ref", async () => {
    const api = fakeInferenceApi({
      listTenants: jest.fn(async () => [tenant('tenant-a')]),
    });
    const onChange = jest.fn();
    await renderWithApi(<TenantPicker {...props(onChange)} />, { api });
    await userEvent.click(await screen.findByLabelText(/Tenant/));
    const options = within(await screen.findByRole('listbox')).getAllByRole(
      'option',
    );
    expect(options.map(o => o.textContent)).toEqual(['TENANT A (tenant-a)']);
    await userEvent.click(options[0]);
    expect(onChange).toHaveBeenCalledWith('group:default/tenant-a');
  });

  it('says so when the user is in no tenant', async () => {
    const api = fakeInferenceApi({ listTenants: jest.fn(async () => []) });
    await renderWithApi(<TenantPicker {...props()} />, { api });
    expect(
      await screen.findByText(/not a member of any tenant/),
    ).toBeInTheDocument();
  });
});
