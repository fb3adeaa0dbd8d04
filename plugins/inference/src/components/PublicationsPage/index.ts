export { PublicationsPage } from './PublicationsPage';
export { formatLimits } from './formatLimits';
export { PublicationStateLabel } from './PublicationStateLabel';
