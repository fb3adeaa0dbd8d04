export { buildPublicationObjects } from './buildPublicationObjects';
export {
  detectModelType,
  detectServingFlavor,
  openAiPathPrefix,
  servedModelName,
} from './detectModelType';
export type { ServingFlavor } from './detectModelType';
export { hostnameAllowed } from './hostnameAllowed';
export { publicationObjectNames } from './objectNames';
export type { PublicationObjectNames } from './objectNames';
export { validateCelRules } from './validateCelRules';
export type { CelViolation } from './validateCelRules';
export * from './types';
