import useAsync from 'react-use/esm/useAsync';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  ANNOTATION_INFERENCE_SERVICE,
  ANNOTATION_NAMESPACE,
  MODEL_ENTITY_FILTER,
  readModelEntityAnnotations,
  type PublicationSummary,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { MODEL_ENTITY_FIELDS } from '../ModelsPage/modelRows';

const NONE = new Map<string, string>();

/** `<cluster>/<namespace>/<model>` of a publication, the key of {@link useDriftedEntityRefs}. */
export const publicationKey = (p: PublicationSummary) =>
  `${p.cluster}/${p.namespace}/${p.model}`;

/**
 * The catalog entities of the drifted publications (by {@link publicationKey}), so their state can
 * link to the model's Endpoint tab. One catalog query for just those models, none when nothing
 * drifted. An entity without a cluster annotation matches its namespace and name on any cluster.
 * A failed lookup leaves the map empty: the state then shows without a link.
 */
export function useDriftedEntityRefs(
  publications: PublicationSummary[] | undefined,
): Map<string, string> {
  const catalogApi = useApi(catalogApiRef);
  const drifted = (publications ?? []).filter(p => p.state === 'drifted');
  const deps = drifted.map(publicationKey).join(',');
  const { value } = useAsync(async () => {
    if (drifted.length === 0) return NONE;
    const refs = new Map<string, string>();
    const { items } = await catalogApi.getEntities({
      filter: drifted.map(p => ({
        ...MODEL_ENTITY_FILTER,
        [`metadata.annotations.${ANNOTATION_NAMESPACE}`]: p.namespace,
        [`metadata.annotations.${ANNOTATION_INFERENCE_SERVICE}`]: p.model,
      })),
      fields: MODEL_ENTITY_FIELDS,
    });
    for (const p of drifted) {
      const entity = items.find(e => {
        const locator = readModelEntityAnnotations(e)?.locator;
        return (
          locator?.namespace === p.namespace &&
          locator.name === p.model &&
          (!locator.cluster || locator.cluster === p.cluster)
        );
      });
      if (entity) refs.set(publicationKey(p), stringifyEntityRef(entity));
    }
    return refs;
    // The drifted publications, by key: a reload with the same ones asks nothing again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, deps]);
  return value ?? NONE;
}
