import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Request } from 'express';

/** Who is calling, and the HTTP request when there is one (the auditor reads actor and IP from it). */
export interface CallContext {
  credentials: BackstageCredentials;
  request?: Request;
  /** How the call arrived when not through the REST API, e.g. `agent action inference:publish`. */
  via?: string;
}

/** The caller as history and audit records name it: a user entity ref, or a service's subject. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}
