import { KubeSandbox, startKubeSandbox } from '../sandbox';
import { KubeObject } from '../store/types';
import { createHttpClient } from './httpClient';

/**
 * Helpers for the controller tests: a sandbox with fast controllers, server-side apply over HTTP
 * and polling until the simulated controllers got somewhere.
 */

export type HttpRequest = ReturnType<typeof createHttpClient>;

/** Waits until `read` returns something other than undefined (or fails after `timeoutMs`). */
export async function eventually<T>(
  read: () => T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** Waits `ms` milliseconds, e.g. to give controllers a chance to do what they must not. */
export function pause(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** The resource plural of the kinds the tests write. */
export function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower.endsWith('policy')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The collection path of a kind in a namespace. */
export function collectionPath(
  apiVersion: string,
  kind: string,
  namespace: string,
) {
  const prefix = apiVersion.includes('/')
    ? `/apis/${apiVersion}`
    : `/api/${apiVersion}`;
  return `${prefix}/namespaces/${namespace}/${pluralOf(kind)}`;
}

/** Server-side apply of an object (namespace from its metadata) as field manager `test`. */
export async function apply(request: HttpRequest, object: KubeObject) {
  const { namespace, name } = object.metadata;
  const response = await request(
    'PATCH',
    `${collectionPath(
      object.apiVersion,
      object.kind,
      namespace!,
    )}/${name}?fieldManager=test&force=true`,
    { contentType: 'application/apply-patch+yaml', body: object },
  );
  if (response.status >= 300) {
    throw new Error(
      `${object.kind} ${name} not applied: ${JSON.stringify(response.body)}`,
    );
  }
  return response.body as KubeObject;
}

export async function remove(request: HttpRequest, object: KubeObject) {
  const { namespace, name } = object.metadata;
  return request(
    'DELETE',
    `${collectionPath(object.apiVersion, object.kind, namespace!)}/${name}`,
  );
}

/**
 * A sandbox with 50 ms controllers and the given namespaces, plus an HTTP client for it, and the
 * log lines of reconciles that failed (which a test expects to be none).
 */
export async function startControllerSandbox(namespaces: string[]) {
  const lines: string[] = [];
  const sandbox: KubeSandbox = await startKubeSandbox({
    controllers: { readyDelayMs: 50 },
    logger: line => lines.push(line),
  });
  const request = createHttpClient(sandbox.url);
  for (const name of namespaces) {
    await request('POST', '/api/v1/namespaces', {
      body: { metadata: { name } },
    });
  }
  const failedReconciles = () =>
    lines.filter(l => / not reconciled: |internal error/.test(l));
  return { sandbox, request, failedReconciles };
}

/** A condition of a status (or of a status' parent/ancestor entry) by type. */
export function conditionOf(holder: any, type: string): any {
  return holder?.conditions?.find((c: any) => c.type === type);
}

/** What a controller test file works with (filled in by its `beforeAll`). */
export interface ControllerTestContext {
  sandbox: KubeSandbox;
  request: HttpRequest;
  /** Reads an object from the sandbox's store, in the test's namespace. */
  get(apiVersion: string, kind: string, name: string): KubeObject | undefined;
  list(apiVersion: string, kind: string): KubeObject[];
}

/**
 * Registers the hooks of a controller test file: a sandbox with the namespace (closed after the
 * file), and a check after each test that no reconcile failed.
 */
export function useControllerSandbox(namespace: string): ControllerTestContext {
  let failedReconciles: () => string[] = () => [];
  const context = {
    get: (apiVersion: string, kind: string, name: string) =>
      context.sandbox.store.get(apiVersion, kind, namespace, name),
    list: (apiVersion: string, kind: string) =>
      context.sandbox.store.list(apiVersion, kind, namespace),
  } as ControllerTestContext;
  beforeAll(async () => {
    const started = await startControllerSandbox([namespace]);
    context.sandbox = started.sandbox;
    context.request = started.request;
    failedReconciles = started.failedReconciles;
  });
  afterAll(() => context.sandbox.close());
  afterEach(() => expect(failedReconciles()).toEqual([]));
  return context;
}
