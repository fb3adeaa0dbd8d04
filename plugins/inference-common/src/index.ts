/**
 * Types, catalog conventions, permissions and the API client shared by the inference plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './entities';
