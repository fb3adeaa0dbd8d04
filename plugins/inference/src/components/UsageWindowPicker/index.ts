export { UsageWindowPicker } from './UsageWindowPicker';
