export interface Config {
  /** Configuration of the inference plugins. */
  inference?: {
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
