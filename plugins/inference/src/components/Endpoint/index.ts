export { EndpointContent } from './EndpointContent';
