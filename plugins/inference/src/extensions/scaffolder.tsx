import {
  createFormField,
  FormFieldBlueprint,
} from '@backstage/plugin-scaffolder-react/alpha';

/** `ui:field: InferenceTenantPicker` in templates: the user's tenants, from the inference backend. */
export const tenantPickerField = FormFieldBlueprint.make({
  name: 'tenant-picker',
  params: {
    field: () =>
      import('../components/TenantPicker').then(m =>
        createFormField({
          name: 'InferenceTenantPicker',
          component: m.TenantPicker,
        }),
      ),
  },
});
