import { CelEnv, celEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { ipFunctions } from './library/ip';
import { listFunctions } from './library/lists';
import { optionalFunctions } from './library/optionals';
import { regexFunctions } from './library/regex';
import { urlFunctions } from './library/urls';
import { OPAQUE_TYPE_REGISTRY } from './opaqueTypes';

/**
 * The CEL environment CRD validation rules run in: CEL's standard
 * functions and macros (@bufbuild/cel), the strings extension, and the
 * Kubernetes libraries the vendored CRDs use or are cheap to provide.
 * Follows the base environment of k8s.io/apiserver
 * pkg/cel/environment/base.go (v0.32.0); left out are the quantity, CIDR,
 * format, authz and semver libraries, `ext.Sets`, two-variable
 * comprehensions, `cel.bind` and optional syntax (`.?`): a rule that needs
 * one of them is reported as not evaluated (see ruleInventory.ts).
 */
export const KUBERNETES_CEL_ENV: CelEnv = celEnv({
  registry: OPAQUE_TYPE_REGISTRY,
  funcs: [
    ...strings,
    ...listFunctions,
    ...regexFunctions,
    ...urlFunctions,
    ...ipFunctions,
    ...optionalFunctions,
  ],
});
