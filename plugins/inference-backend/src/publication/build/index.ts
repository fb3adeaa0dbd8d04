export { buildPublicationObjects } from './buildPublicationObjects';
export {
  detectModelType,
  detectServingFlavor,
  openAiPathPrefix,
  servedModelName,
} from './detectModelType';
export type { ServingFlavor } from './detectModelType';
export { envoyProxyPrincipal } from './envoyProxyPrincipal';
export { hostnameAllowed } from './hostnameAllowed';
export { defaultPublicationHostname } from './publicationHostname';
export { publicationObjectNames } from './objectNames';
export type { PublicationObjectNames } from './objectNames';
export { validateCelRules } from './validateCelRules';
export type { CelViolation } from './validateCelRules';
export * from './types';
