import { useId } from 'react';
import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { SelectField, type SelectOption } from '../SelectField';
import { MODEL_ROW_STATUS_LABELS, type ModelRowFilters } from './modelRows';

type FilterKey = Exclude<keyof ModelRowFilters, 'search'>;

const asOptions = (values: string[]) =>
  values.map(value => ({ value, label: value }));

const STATUS_OPTIONS = Object.entries(MODEL_ROW_STATUS_LABELS).map(
  ([value, label]) => ({ value, label }),
);

/** Search box and the tenant / framework / type / status filters of the models table. */
export function ModelsToolbar(props: {
  filters: ModelRowFilters;
  options: { tenants: string[]; frameworks: string[]; modelTypes: string[] };
  onChange: (filters: ModelRowFilters) => void;
}) {
  const { filters, options, onChange } = props;
  const searchId = useId();
  const selects: { key: FilterKey; label: string; options: SelectOption[] }[] =
    [
      { key: 'tenant', label: 'Tenant', options: asOptions(options.tenants) },
      {
        key: 'framework',
        label: 'Framework',
        options: asOptions(options.frameworks),
      },
      {
        key: 'modelType',
        label: 'Type',
        options: asOptions(options.modelTypes),
      },
      { key: 'status', label: 'Status', options: STATUS_OPTIONS },
    ];
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
      {selects.map(select => (
        <SelectField
          key={select.key}
          label={select.label}
          value={filters[select.key] ?? ''}
          options={[{ value: '', label: 'All' }, ...select.options]}
          onChange={value =>
            onChange({ ...filters, [select.key]: value || undefined })
          }
          InputLabelProps={{ shrink: true }}
          style={{ minWidth: 140 }}
        />
      ))}
    </Box>
  );
}
