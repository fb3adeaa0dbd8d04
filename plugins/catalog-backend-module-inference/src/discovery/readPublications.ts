import {
  ClusterClient,
  groupByModel,
  listPublicationObjects,
  PUBLICATION_RECORD_KINDS,
  publicationEndpoint,
  readPublishRequest,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import type { Tenant } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ModelPublication } from './types';

/**
 * The publications of a tenant's models, keyed by the model label value (`toLabelValue(name)`).
 * Only objects the portal labelled for this tenant count, and only the kinds that record the
 * request (the Secret, backends and AuthorizationPolicy say nothing the catalog shows).
 */
export async function readPublications(
  cluster: ClusterClient,
  tenant: Pick<Tenant, 'name' | 'namespace'>,
): Promise<Map<string, ModelPublication>> {
  const objects = await listPublicationObjects(
    cluster,
    tenant.namespace,
    { tenant: tenant.name },
    PUBLICATION_RECORD_KINDS,
  );
  const publications = new Map<string, ModelPublication>();
  for (const [model, ofModel] of groupByModel(objects)) {
    const request = readPublishRequest(ofModel);
    if (request) {
      publications.set(model, {
        request,
        endpoint: publicationEndpoint(tenant.name, model, request),
      });
    }
  }
  return publications;
}
