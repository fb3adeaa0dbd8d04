/**
 * Kinds the platform needs whose schema is deliberately not available offline. Objects of these
 * kinds are parsed and reported as unchecked in every run (and counted in the summary); any other
 * kind without a schema is an error.
 *
 * @public
 */
export const KINDS_WITHOUT_SCHEMA: ReadonlyArray<{
  apiVersion: string;
  kind: string;
  reason: string;
}> = [
  {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'EnvoyProxy',
    reason:
      'the EnvoyProxy CRD (1.4 MiB) is left out of the CRD folder on purpose; Envoy Gateway validates it at apply time',
  },
];

export function findKindWithoutSchema(apiVersion: string, kind: string) {
  return KINDS_WITHOUT_SCHEMA.find(
    k => k.apiVersion === apiVersion && k.kind === kind,
  );
}
