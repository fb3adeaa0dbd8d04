export { loadCrdCatalog } from './catalog';
export type { LoadCrdCatalogOptions } from './catalog';
export { defaultCrdDir } from './crdFiles';
export type {
  CrdCatalog,
  CrdKind,
  CrdVersion,
  JsonSchemaProps,
  ValidateOptions,
  ValidationCause,
} from './types';
