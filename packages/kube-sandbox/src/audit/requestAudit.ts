/**
 * One API request the sandbox served, in the spirit of a Kubernetes audit event
 * (`audit.k8s.io/v1` Event: verb, objectRef, responseStatus), flattened for tests.
 *
 * @public
 */
export interface AuditEntry {
  /** When the answer was sent (ISO 8601). */
  time: string;
  /** `http` for requests over the API port, `controller` for the simulated controllers' writes. */
  source: 'http' | 'controller';
  /** The client: the User-Agent of an HTTP request, or the controller's name. */
  actor: string;
  /** HTTP method: GET, POST, PUT, PATCH, DELETE. */
  method: string;
  /**
   * Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; for
   * requests outside the resource API (discovery, OpenAPI, /version) the lower-case method.
   */
  verb: string;
  /** Request path without the query. */
  path: string;
  /** API group, `''` for the core group; absent outside the resource API. */
  apiGroup?: string;
  apiVersion?: string;
  /** Resource plural, e.g. `httproutes`. */
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** Query parameters (last value wins), e.g. `{ dryRun: 'All', fieldManager: 'x' }`. */
  query: Record<string, string>;
  dryRun: boolean;
  fieldManager?: string;
  /** HTTP status code of the answer (0 when the connection was dropped). */
  statusCode: number;
}

/**
 * The requests the sandbox served, oldest first, keeping the last `limit` (10,000 by default).
 *
 * @public
 */
export interface RequestAudit {
  /** A copy of the kept entries, optionally filtered. */
  entries(filter?: (entry: AuditEntry) => boolean): AuditEntry[];
  /** Forgets every entry, e.g. between the steps of a test. */
  clear(): void;
}

export const DEFAULT_AUDIT_LIMIT = 10000;

/** A bounded, in-memory audit log. */
export class RequestAuditLog implements RequestAudit {
  #entries: AuditEntry[] = [];
  readonly #limit: number;

  constructor(limit = DEFAULT_AUDIT_LIMIT) {
    this.#limit = limit;
  }

  record(entry: AuditEntry) {
    this.#entries.push(entry);
    // Dropping in chunks keeps recording O(1) amortised.
    if (this.#entries.length > this.#limit + 1000) {
      this.#entries = this.#entries.slice(-this.#limit);
    }
  }

  entries(filter?: (entry: AuditEntry) => boolean): AuditEntry[] {
    const kept = this.#entries.slice(-this.#limit);
    return (filter ? kept.filter(filter) : kept).map(e => ({
      ...e,
      query: { ...e.query },
    }));
  }

  clear() {
    this.#entries = [];
  }
}
