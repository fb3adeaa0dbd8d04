/**
 * The inference backend plugin and the notification of a publication's owners. The permission
 * pieces a policy needs (conditions, the portal policy) are in the -node package.
 *
 * @packageDocumentation
 */
export { inferencePlugin as default } from './plugin';
export { notifyPublicationOwners } from './notifications/notifyPublicationOwners';
export type { PublicationOwnersMessage } from './notifications/notifyPublicationOwners';
