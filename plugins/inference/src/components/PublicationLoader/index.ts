export { PublicationLoader } from './PublicationLoader';
