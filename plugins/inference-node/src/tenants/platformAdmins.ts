/**
 * The catalog group whose members may act on every tenant: the portal's permission policy
 * (packages/backend/src/permissions/policy.ts) allows its members everything, and the platform's
 * notifications (drift of a publication) go to it besides the tenant's group. A constant, not a
 * config value, on purpose: who is an admin is decided by membership of this group in the catalog,
 * and one name for the policy and the notifications keeps the two from drifting apart.
 * @public
 */
export const PLATFORM_ADMINS_GROUP = 'group:default/platform-admins';
