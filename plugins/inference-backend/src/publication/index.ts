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
export { readPublishRequest } from './readPublishRequest';
export type { RecordedPublishRequest } from './readPublishRequest';
export { predictivePathPrefix } from './buildRouteObjects';
export type { PublicationObjectNames } from './objectNames';
export { planChanges, HIDDEN } from './planChanges';
export type { PlanOptions } from './planChanges';
export { validateCelRules } from './validateCelRules';
export type { CelViolation } from './validateCelRules';
export * from './types';
