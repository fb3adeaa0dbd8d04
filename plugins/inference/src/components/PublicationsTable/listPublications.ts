import type {
  InferenceApi,
  PublicationSummary,
} from '@internal/backstage-plugin-inference-common';

/** How many publications are fetched at once: enough to be quick, few enough not to flood the backend. */
const CONCURRENCY = 6;

export interface PublicationListing {
  publications: PublicationSummary[];
  /** Published models whose publication could not be read, with the reason. */
  failures: { model: string; error: Error }[];
}

/**
 * Every publication the user can see. The backend has no list route for publications yet, so this
 * lists the models and reads the publication of each published one, a few at a time. When such a
 * route exists, this function is the one place to change.
 */
export async function listPublications(
  api: InferenceApi,
): Promise<PublicationListing> {
  const published = (await api.listModels()).filter(m => m.published);
  const publications: PublicationSummary[] = [];
  const failures: PublicationListing['failures'] = [];
  let next = 0;
  const worker = async () => {
    while (next < published.length) {
      const model = published[next++];
      try {
        const publication = await api.getPublication(model);
        if (publication) publications.push(publication);
      } catch (error) {
        failures.push({
          model: `${model.namespace}/${model.name}`,
          error: error as Error,
        });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  publications.sort(
    (a, b) =>
      a.tenant.localeCompare(b.tenant) || a.model.localeCompare(b.model),
  );
  return { publications, failures };
}
