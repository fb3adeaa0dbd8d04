import { useId } from 'react';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import {
  MODEL_ROW_STATUS_LABELS,
  type ModelRowFilters,
  type ModelRowStatus,
} from './modelRows';

function FilterSelect(props: {
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange: (value: string | undefined) => void;
}) {
  const { label, value, options, onChange } = props;
  const id = useId();
  return (
    <TextField
      id={id}
      select
      label={label}
      value={value ?? ''}
      onChange={e => onChange(e.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      style={{ minWidth: 140 }}
    >
      <option value="">All</option>
      {options.map(o => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </TextField>
  );
}

const asOptions = (values: string[]) =>
  values.map(value => ({ value, label: value }));

/** Search box and the tenant / framework / type / status filters of the models table. */
export function ModelsToolbar(props: {
  filters: ModelRowFilters;
  options: { tenants: string[]; frameworks: string[]; modelTypes: string[] };
  onChange: (filters: ModelRowFilters) => void;
}) {
  const { filters, options, onChange } = props;
  const searchId = useId();
  return (
    <Box display="flex" flexWrap="wrap" gridGap={16} alignItems="center" mb={2}>
      <TextField
        id={searchId}
        label="Search models"
        type="search"
        value={filters.search}
        onChange={e => onChange({ ...filters, search: e.target.value })}
        variant="outlined"
        size="small"
        style={{ minWidth: 260 }}
      />
      <FilterSelect
        label="Tenant"
        value={filters.tenant}
        options={asOptions(options.tenants)}
        onChange={tenant => onChange({ ...filters, tenant })}
      />
      <FilterSelect
        label="Framework"
        value={filters.framework}
        options={asOptions(options.frameworks)}
        onChange={framework => onChange({ ...filters, framework })}
      />
      <FilterSelect
        label="Type"
        value={filters.modelType}
        options={asOptions(options.modelTypes)}
        onChange={modelType => onChange({ ...filters, modelType })}
      />
      <FilterSelect
        label="Status"
        value={filters.status}
        options={Object.entries(MODEL_ROW_STATUS_LABELS).map(
          ([value, label]) => ({ value, label }),
        )}
        onChange={status =>
          onChange({ ...filters, status: status as ModelRowStatus | undefined })
        }
      />
    </Box>
  );
}
