export interface Config {
  /** Configuration of the inference plugins. */
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
    kubernetes?: {
      /** Timeout of one request to a cluster, in milliseconds. Default 10000. */
      requestTimeoutMs?: number;
      /** Attempts for a request that failed with 429, 5xx, a conflict or a network error. Default 3. */
      maxAttempts?: number;
      /** Field manager of the portal's server-side applies. Default `inference-portal`. */
      fieldManager?: string;
    };
    gateway?: {
      /** Name of the platform Gateway routes attach to. Default `ai-inference-gateway`. */
      name?: string;
      /** Namespace of the platform Gateway. Default `envoy-gateway-system`. */
      namespace?: string;
      /** Base URL users call; shown in snippets. Default `https://api.router.inference-in-a-box`. */
      publicBaseUrl?: string;
      /** Base URL the backend calls for test invocations (the sandbox's mock model server in dev). */
      invokeBaseUrl?: string;
      /** Service-account principal of the gateway's Envoy pods, allowed by the Istio AuthorizationPolicy. */
      principal?: string;
    };
    publishing?: {
      /** Hostname used when a publish request names none. Default `api.router.inference-in-a-box`. */
      defaultHostname?: string;
      /** Hostnames a publish request may name; `*.domain` matches one label. */
      allowedHostnames?: string[];
      /** Upper bounds for limits, tighter than the built-in ones. */
      maxLimits?: {
        requestsPerMinute?: number;
        requestsPerHour?: number;
        tokensPerHour?: number;
      };
      /** JWT authentication offered at publish time, from the platform's issuer. */
      jwt?: {
        issuer: string;
        jwksUri: string;
        audiences?: string[];
      };
    };
  };
}
