export { ModelStatusCard } from './ModelStatusCard';
