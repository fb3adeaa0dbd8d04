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
      /**
       * Istio principal of the gateway's Envoy proxies, the only caller the AuthorizationPolicy lets
       * reach a published predictor. Default: Envoy Gateway's name for the proxies' ServiceAccount
       * with its hash as a wildcard, `cluster.local/ns/<namespace>/sa/envoy-<namespace>-<name>-*`.
       */
      principal?: string;
    };
    /**
     * Per-user request caps of the REST API (429 with Retry-After when exceeded). Counted in
     * memory by each backend replica: with N replicas a user may get up to N times the cap.
     */
    rateCaps?: {
      /** `POST .../test`. Default 30 requests per 60 s. */
      testInvocations?: {
        /** Requests allowed per window (also the largest burst). */
        requests?: number;
        windowSeconds?: number;
      };
      /** Every other POST, PUT, PATCH and DELETE (models, publications, API keys). Default 60 per 60 s. */
      mutations?: {
        requests?: number;
        windowSeconds?: number;
      };
    };
    /**
     * Usage figures (the model page's Usage tab, the tenants' usage) are read from the Prometheus
     * that scrapes the gateway: Envoy's stats, AI Gateway's GenAI metrics and the rate limit
     * service's stats (configs/observability). Without `prometheusUrl` the usage routes answer 501.
     */
    usage?: {
      /**
       * Base URL of the Prometheus HTTP API, e.g.
       * `http://kube-prometheus-stack-prometheus.monitoring:9090` (a path prefix is kept;
       * credentials in the URL are sent as Basic auth and never shown).
       * @visibility backend
       */
      prometheusUrl?: string;
      /** Deadline of one Prometheus query, in seconds. Default 10. */
      timeoutSeconds?: number;
    };
    /**
     * The drift check: every publication's objects against what the portal published
     * (docs/architecture.md, "Drift"). One run at a time across backend replicas.
     */
    drift?: {
      /** Run the scheduled check. Default true; the on-demand check and Reconcile work either way. */
      enabled?: boolean;
      /** Seconds between scheduled checks, 10 to 86400. Default 60. */
      frequencySeconds?: number;
      /** Put back at once what weakens authentication, authorization or rate limits. Default true. */
      restoreGuards?: boolean;
      /** Publications checked at a time. Default 16. */
      concurrency?: number;
    };
    /**
     * The expiry of rotated API keys: keys whose grace period ended are removed from their
     * publication's Secret. A scheduled task of global scope: one run per interval across all
     * backend replicas (docs/architecture.md, "Several replicas").
     */
    keyExpiry?: {
      /** Seconds between runs, 1 to 86400. Default 60. */
      frequencySeconds?: number;
    };
    /**
     * The per-publication lock that serializes every change to one publication across backend
     * replicas (a lease row in the plugin's database, renewed while held).
     */
    publicationLock?: {
      /**
       * Seconds a lease lives without renewal, 2 to 600: how long a replica that stopped while
       * holding a publication's lock blocks changes to that publication. Default 30. Clock skew
       * between replicas must stay well below it.
       */
      leaseSeconds?: number;
    };
    /**
     * Completing a change that a stopped replica left half applied (it died between two writes of
     * one publication): once its lease ran out, another replica applies the whole change again.
     * A scheduled task of global scope (docs/architecture.md, "Several replicas").
     */
    recovery?: {
      /** Seconds between looks for such changes, 1 to 3600. Default 30. */
      frequencySeconds?: number;
    };
    /**
     * Blue-green rollouts of Standard-mode models: a new version's share of the published route is
     * set once it is Ready, and a promotion ends once the model's own InferenceService is Ready with
     * the new spec. A scheduled task of global scope (docs/architecture.md, "Rollouts").
     */
    rollouts?: {
      /** Seconds between runs, 1 to 600. Default 5. */
      frequencySeconds?: number;
    };
    /**
     * A watch of the publication objects (but Secrets) of the tenant namespaces this replica
     * loads publications in, so that a change plans from it (and a read of one publication reads
     * it) instead of listing every kind, whenever the watch has certainly seen the publication's
     * last change (docs/architecture.md, "What is cached"). Needs the `watch` verb on those kinds
     * (configs/portal/rbac.yaml); without it they read afresh.
     */
    publicationCache?: {
      /** Default true. */
      enabled?: boolean;
    };
    publishing?: {
      /** Hostname of predictive publications that name none. Default `api.router.inference-in-a-box`. */
      defaultHostname?: string;
      /**
       * An OpenAI-compatible publication that names no hostname gets `<model>-<tenant>.<openAiDomain>`:
       * one such publication per hostname, so the gateway checks keys against the right route.
       * Default `inference-in-a-box`; `*.<openAiDomain>` must be in `allowedHostnames`.
       */
      openAiDomain?: string;
      /** Hostnames a publish request may name; `*.domain` matches one label. */
      allowedHostnames?: string[];
      /** Upper bounds for limits, tighter than the built-in ones. */
      maxLimits?: {
        requestsPerMinute?: number;
        requestsPerHour?: number;
        tokensPerHour?: number;
      };
      /**
       * JWT authentication offered at publish time, from the platform's issuer. Only these three
       * keys are accepted: any other key (e.g. `audience`) stops the plugin at start. A JWT
       * publication also requires the token's `tenant` claim to be the publication's tenant.
       */
      jwt?: {
        /** The `iss` the gateway requires. */
        issuer: string;
        /** Where the gateway fetches the issuer's signing keys. */
        jwksUri: string;
        /** The `aud` values the gateway accepts (1 to 8; required, so the audience is always checked). */
        audiences: string[];
      };
      /**
       * Most API keys one publication may hold, rotated keys in their grace period included; a
       * create or rotate beyond it is refused (409). Default 20.
       */
      maxKeysPerPublication?: number;
    };
  };
}
