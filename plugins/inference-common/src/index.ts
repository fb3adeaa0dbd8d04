/**
 * Types, catalog conventions, permissions and the API client shared by the inference plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './entities';
export * from './kubernetesNames';
export * from './labels';
export * from './permissions';
export * from './schemas';
export * from './api';
export * from './client';
