import type {
  InferenceApi,
  PublicationSummary,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** Every publication the user can see, in one request, ordered by tenant and model. */
export async function listPublications(
  api: InferenceApi,
): Promise<PublicationSummary[]> {
  const publications = await api.listPublications();
  return [...publications].sort(
    (a, b) =>
      a.tenant.localeCompare(b.tenant) || a.model.localeCompare(b.model),
  );
}
