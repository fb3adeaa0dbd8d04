// Each suite starts a Kubernetes sandbox and waits for the gateway double to see the objects it
// applies. Alone that takes well under a second, but the repository's whole suite runs on 2 busy
// cores, where Jest's 5 s default is too tight; a slow machine is not a failing behaviour.
jest.setTimeout(30_000);

export {};
