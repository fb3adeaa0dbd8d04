// The controller tests wait for chains of simulated controllers (an InferenceService, its
// Deployment, ReplicaSet and Pods, then the route status). They finish in well under a second
// alone, but the whole repository's suite runs them on 2 busy cores: Jest's 5 s default is too
// tight there, and a slow machine is not a failing behaviour.
jest.setTimeout(30_000);

export {};
