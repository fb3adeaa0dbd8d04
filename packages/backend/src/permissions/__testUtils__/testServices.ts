// Service factories shared by the permission matrix tests: they let the real permission framework
// run in a test backend with the repository's demo users.
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  authWithActors,
  catalogUserInfo,
} from '@internal/inference-test-utils';
import permissionBackend from '@backstage/plugin-permission-backend';
import policyModule from '../policyModule';

/** The five kinds of caller of the permission matrices. */
export type Caller =
  | 'dev-a'
  | 'dev-b'
  | 'platform-admin'
  | 'visitor'
  | 'anonymous';
export const CALLERS: Caller[] = [
  'dev-a',
  'dev-b',
  'platform-admin',
  'visitor',
  'anonymous',
];

/** The Authorization header of a caller (none for the unauthenticated one). */
export const authHeader = (caller: Caller) =>
  caller === 'anonymous'
    ? mockCredentials.none.header()
    : mockCredentials.user.header(`user:default/${caller}`);

/**
 * The real permission framework as the portal runs it: the permission backend with the portal's
 * policy, users' groups from the catalog files and on-behalf-of tokens that keep their actor.
 */
export const portalPermissionFeatures = () => [
  permissionBackend,
  policyModule,
  catalogUserInfo(),
  authWithActors,
];
