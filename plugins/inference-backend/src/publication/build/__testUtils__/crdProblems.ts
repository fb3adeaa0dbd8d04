import { loadCrdCatalog } from '@internal/kube-sandbox';
import type { KubeObject } from '../../../models/types';
import { validateCelRules } from '../validateCelRules';

/** The vendored CRD schemas the objects are checked against, as the sandbox serves them. */
export const crdCatalog = loadCrdCatalog();

/** Schema problems per object (strict: unknown fields count) plus CEL rule violations. */
export function crdProblems(objects: KubeObject[]) {
  return [
    ...objects.flatMap(obj =>
      crdCatalog
        .validate(obj, { strict: true })
        .map(
          cause =>
            `${obj.kind}/${obj.metadata.name}: ${cause.field}: ${cause.message}`,
        ),
    ),
    ...validateCelRules(objects).map(
      v => `${v.kind}/${v.name}: ${v.field}: ${v.message}`,
    ),
  ];
}
