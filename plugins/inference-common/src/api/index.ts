export * from './types';
export * from './usage';
