export { UsageContent } from './UsageContent';
