import { createHash } from 'node:crypto';
import type { LoadedModel } from './publicationEngine';
import { candidateWeight } from '../rollouts/candidate';

/**
 * The state a publish plan was made against: the model's spec generation and each publication
 * object's identity and version. `generation` where the object has one (CRDs with a status count
 * only spec changes, so controllers writing status do not make a plan stale); otherwise the
 * resourceVersion (Secrets have no status). A delete and re-create changes the uid. A blue-green
 * candidate counts with the weight it gives it on the route.
 */
export function publicationFingerprint(loaded: LoadedModel): string {
  const versionOf = (meta: {
    uid?: string;
    generation?: number;
    resourceVersion?: string;
  }) => `${meta.uid}@${meta.generation ?? `rv${meta.resourceVersion}`}`;
  const objects = loaded.current.objects
    .map(o => `${o.kind}/${o.metadata.name}:${versionOf(o.metadata)}`)
    .sort();
  return createHash('sha256')
    .update(
      JSON.stringify({
        model: versionOf(loaded.isvc.metadata),
        objects,
        // A blue-green candidate changes the route's weights: its share and readiness count.
        candidate: loaded.candidate && {
          version: versionOf(loaded.candidate.metadata),
          weight: candidateWeight(loaded.candidate),
        },
      }),
    )
    .digest('hex');
}
