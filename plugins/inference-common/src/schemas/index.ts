export * from './publish';
export * from './modelSpec';
export * from './apiKeys';
export * from './formatZodError';
export * from './testInvocation';
export * from './modelLocator';
export * from './rollout';
