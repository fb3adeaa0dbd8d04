export interface Config {
  /** Configuration of the inference plugins: the clusters they manage and where tenants come from (read by inference-node). */
  inference?: {
    /**
     * The clusters the portal manages, in the shape of the Kubernetes plugin's
     * `kubernetes.clusterLocatorMethods[].clusters` (config method). When absent, every cluster of
     * `kubernetes.clusterLocatorMethods` with `type: config` is used. There is no fallback to a local
     * kubeconfig.
     */
    clusters?: Array<{
      /** Name that tenant groups and model entities refer to (annotation inference.platform.io/cluster). */
      name: string;
      /** URL of the Kubernetes API server. */
      url: string;
      /** Only `serviceAccount` (a bearer token) is supported. */
      authProvider?: 'serviceAccount';
      /** @visibility secret */
      serviceAccountToken?: string;
      /** PEM CA bundle, base64-encoded as in a kubeconfig. */
      caData?: string;
      /** Path of a PEM CA bundle. */
      caFile?: string;
      /** Skip TLS verification (also required by client-node for plain-HTTP test servers). */
      skipTLSVerify?: boolean;
    }>;
    tenants?: {
      /**
       * The catalog locations tenant groups are trusted from, as location refs `<type>:<target>`
       * (e.g. `file:../../catalog/org.yaml`,
       * `url:https://github.com/acme/platform/blob/main/org.yaml`). A tenant group counts only if
       * its `backstage.io/managed-by-origin-location` annotation, which the catalog sets to the
       * location it was registered through (never the YAML's own value), is one of these; a group
       * from any other location (e.g. one a user registered) owns no namespace. A relative `file:`
       * target is resolved against the backend's working directory, as the catalog does for
       * `catalog.locations`. Default: `file:../../catalog/org.yaml` and `file:./catalog/org.yaml`
       * (the repository's org file as app-config.yaml registers it, the backend running in
       * `packages/backend`, or from the repository root). An empty list trusts nothing: there are
       * no tenants.
       */
      trustedLocations?: string[];
    };
    kubernetes?: {
      /** Timeout of one request to a cluster, in milliseconds. Default 10000. */
      requestTimeoutMs?: number;
      /** Attempts for a request that failed with 429, 5xx, a conflict or a network error. Default 3. */
      maxAttempts?: number;
      /** Field manager of the portal's server-side applies. Default `inference-portal`. */
      fieldManager?: string;
    };
  };
}
