import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { INFERENCE_ANNOTATION_PREFIX } from './annotations';
import { DNS_LABEL_PATTERN } from './kubernetesNames';

/**
 * Ownership labels: every object the portal writes carries all four, which is how the backend lists,
 * diffs, garbage-collects and unpublishes what it owns (and nothing else).
 */

/** @public */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The value of {@link LABEL_MANAGED_BY} on the portal's objects. @public */
export const MANAGED_BY_PORTAL = 'inference-portal';
/** @public */
export const LABEL_TENANT = `${INFERENCE_ANNOTATION_PREFIX}/tenant`;
/** @public */
export const LABEL_MODEL = `${INFERENCE_ANNOTATION_PREFIX}/model`;
/** @public */
export const LABEL_PUBLICATION = `${INFERENCE_ANNOTATION_PREFIX}/publication`;

/**
 * On the InferenceService of a new version of a Standard-mode model rolled out blue-green: the
 * model it is a candidate of. Models lists and the catalog leave such InferenceServices out.
 * @public
 */
export const LABEL_CANDIDATE_OF = `${INFERENCE_ANNOTATION_PREFIX}/candidate-of`;

/** Kubernetes limits label values and DNS labels (object names of many kinds) to 63 characters. @public */
export const MAX_LABEL_LENGTH = 63;

/**
 * Longest publication id. Object names of a publication are the id plus a suffix of at most 13
 * characters (`-gateway-only`), and the result must stay a valid 63-character DNS label.
 * @public
 */
export const MAX_PUBLICATION_ID_LENGTH = 50;

const HASH_LENGTH = 8;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** First 8 hex digits of the SHA-256 of a string: short, stable and the same in browser and Node. @public */
export function shortHash(value: string): string {
  return bytesToHex(sha256(utf8ToBytes(value))).slice(0, HASH_LENGTH);
}

/** Cuts `value` so that `value + '-' + hash` fits `max`, and drops separators left dangling at the cut. */
function withHashSuffix(
  value: string,
  hashInput: string,
  max: number,
  trailingJunk: RegExp,
): string {
  const head = value.slice(0, max - HASH_LENGTH - 1).replace(trailingJunk, '');
  const hash = shortHash(hashInput);
  return head ? `${head}-${hash}` : hash;
}

/** True when Kubernetes accepts `value` as a label value. @public */
export function isValidLabelValue(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && LABEL_VALUE.test(value);
}

/**
 * Turns any string into a valid label value. A valid value is returned unchanged; anything that
 * had to be changed (characters replaced, or cut to 63) gets a hash of the original as suffix, so
 * two different inputs never end up with the same label (e.g. `a/b` and `a-b`).
 * @public
 */
export function toLabelValue(value: string): string {
  if (isValidLabelValue(value)) {
    return value;
  }
  const cleaned = value
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return withHashSuffix(cleaned, value, MAX_LABEL_LENGTH, /[^A-Za-z0-9]+$/);
}

/**
 * Shortens a DNS-1123 label to `max` characters, adding a hash of `hashInput` when it had to be
 * cut. Inputs that are already short enough come back unchanged.
 * @public
 */
export function fitDnsLabel(
  value: string,
  max: number = MAX_LABEL_LENGTH,
  hashInput: string = value,
): string {
  if (value.length <= max && DNS_LABEL_PATTERN.test(value)) {
    return value;
  }
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '');
  return withHashSuffix(cleaned, hashInput, max, /-+$/);
}

/**
 * The id of the publication of `model` in `tenant`: a DNS label of at most 50 characters. It is the
 * model name when that fits (the common case: the model form limits names to 45), otherwise the
 * start of the name plus a hash of `tenant/model`. It is stable for a given tenant and model, so
 * re-publishing finds and updates the same objects.
 * @public
 */
export function publicationId(tenant: string, model: string): string {
  return fitDnsLabel(model, MAX_PUBLICATION_ID_LENGTH, `${tenant}/${model}`);
}

/** Coordinates of a publication, as used for its labels. @public */
export interface OwnershipLabelInput {
  tenant: string;
  model: string;
}

/** The four ownership labels of a publication's objects; every value is a valid label value. @public */
export function ownershipLabels(
  input: OwnershipLabelInput,
): Record<string, string> {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY_PORTAL,
    [LABEL_TENANT]: toLabelValue(input.tenant),
    [LABEL_MODEL]: toLabelValue(input.model),
    [LABEL_PUBLICATION]: publicationId(input.tenant, input.model),
  };
}

/** What to select; omitted parts widen the selection (all models of a tenant, all tenants). @public */
export interface OwnershipSelectorInput {
  tenant?: string;
  model?: string;
}

/**
 * A Kubernetes label selector string (`k=v,k=v`) for the portal's objects, narrowed to a tenant
 * and, with both tenant and model, to one publication. Values go through the same mapping as
 * {@link ownershipLabels}, so a selector always matches what the labels say.
 * @public
 */
export function ownershipSelector(input: OwnershipSelectorInput = {}): string {
  const parts = [`${LABEL_MANAGED_BY}=${MANAGED_BY_PORTAL}`];
  if (input.tenant !== undefined) {
    parts.push(`${LABEL_TENANT}=${toLabelValue(input.tenant)}`);
  }
  if (input.model !== undefined) {
    parts.push(`${LABEL_MODEL}=${toLabelValue(input.model)}`);
    if (input.tenant !== undefined) {
      parts.push(
        `${LABEL_PUBLICATION}=${publicationId(input.tenant, input.model)}`,
      );
    }
  }
  return parts.join(',');
}
