export { UsageOverview } from './UsageOverview';
