import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/frontend-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { inferenceApiRef } from '../../api';

/**
 * Scaffolder field `InferenceTenantPicker`: the tenants the signed-in user may deploy to, as the
 * inference backend lists them for that user (their own tenants; every tenant for platform
 * admins). The value is the tenant group's entity ref.
 */
export function TenantPicker(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, required, rawErrors, schema, idSchema } = props;
  const api = useApi(inferenceApiRef);
  const {
    loading,
    error,
    value: tenants,
  } = useAsync(() => api.listTenants(), [api]);
  const none = !loading && !error && tenants?.length === 0;
  let helperText = schema.description;
  if (error) helperText = `Could not load your tenants: ${error.message}`;
  else if (none)
    helperText =
      'You are not a member of any tenant, so you cannot deploy models.';
  return (
    <TextField
      id={idSchema?.$id}
      select
      fullWidth
      margin="normal"
      variant="outlined"
      label={schema.title ?? 'Tenant'}
      required={required}
      value={formData ?? ''}
      onChange={event => onChange(event.target.value)}
      disabled={loading || Boolean(error) || none}
      error={Boolean(error) || (rawErrors?.length ?? 0) > 0}
      helperText={helperText}
    >
      {(tenants ?? []).map(tenant => (
        <MenuItem key={tenant.ref} value={tenant.ref}>
          {tenant.title ?? tenant.name} ({tenant.namespace})
        </MenuItem>
      ))}
    </TextField>
  );
}
