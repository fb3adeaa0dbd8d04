import { createHash } from 'node:crypto';

/**
 * The Deployment (Istio's `destination_workload`) that serves one side of a rollout, which the
 * per-version figures select on (docs/architecture.md, "Rollouts"):
 * - Knative mode: a revision's Deployment, named by Knative serving
 *   (pkg/reconciler/revision/resources/names/names.go `Deployment`:
 *   `kmeta.ChildName(revision, "-deployment")`);
 * - Standard mode: an InferenceService's predictor Deployment, named by KServe v0.20.0
 *   (pkg/constants/constants.go `PredictorServiceName`: `<isvc>-predictor`, the object name
 *   pkg/controller/v1beta1/inferenceservice/components/predictor.go gives the predictor), so
 *   `<model>-predictor` for the model and `<model>-canary-predictor` for its blue-green candidate.
 */
export function predictorWorkload(
  deploymentMode: 'Standard' | 'Knative',
  /** The revision (Knative) or the InferenceService (Standard), as `RolloutVersion.revision`. */
  name: string,
): string {
  return deploymentMode === 'Knative'
    ? childName(name, '-deployment')
    : `${name}-predictor`;
}

const LONGEST = 63;
const HEAD = LONGEST - 32;

/**
 * knative.dev/pkg kmeta/names.go `ChildName` for a suffix shorter than 31 characters (the only
 * one used here): `parent + suffix` when that fits a DNS label, otherwise the parent cut short
 * and the MD5 of the whole parent in its place, so that long model names still get unique names.
 */
export function childName(parent: string, suffix: string): string {
  if (suffix.length >= HEAD) {
    throw new Error(`suffix ${suffix} is longer than this port handles`);
  }
  if (parent.length <= LONGEST - suffix.length) return parent + suffix;
  const hash = createHash('md5').update(parent).digest('hex');
  return `${parent.slice(0, HEAD - suffix.length)}${hash}${suffix}`;
}
