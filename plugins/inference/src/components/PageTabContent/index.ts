export { PageTabContent } from './PageTabContent';
