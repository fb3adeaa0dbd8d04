export { loadCrdCatalog } from './catalog';
export type { LoadCrdCatalogOptions } from './catalog';
export type { CelRuleProblem, CelRuleReport } from './cel/celRuleReport';
export { defaultCrdDir } from './crdFiles';
// types.ts holds only the public types of the catalogue.
export type * from './types';
