export { SelectField } from './SelectField';
export type { SelectOption } from './SelectField';
