export { TenantPicker } from './TenantPicker';
