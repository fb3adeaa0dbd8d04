import { KubeObject, WatchedKind, objectKey } from './types';

export interface KindWatcherOptions {
  kubeApiUrl: string;
  token?: string;
  kind: WatchedKind;
  /** Called after every list (full replacement) and every watch event. */
  onChange: (objects: Map<string, KubeObject>, resourceVersion: number) => void;
  onError: (error: unknown) => void;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

type ApiServer = Pick<KindWatcherOptions, 'kubeApiUrl' | 'token' | 'kind'>;

function kindUrl({ kubeApiUrl, kind }: ApiServer, query: string): string {
  return `${kubeApiUrl.replace(/\/$/, '')}${kind.apiPath}/${
    kind.plural
  }${query}`;
}

function requestHeaders({ token }: ApiServer): Record<string, string> {
  return {
    accept: 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  };
}

/** One list of a kind in every namespace, with the list's resourceVersion. */
export async function listKind(
  server: ApiServer,
  signal?: AbortSignal,
): Promise<{
  items: KubeObject[];
  resourceVersion: number;
  /** An optional kind the server does not serve (404). */
  notServed?: boolean;
}> {
  const response = await fetch(kindUrl(server, ''), {
    headers: requestHeaders(server),
    signal,
  });
  if (response.status === 404 && server.kind.optional) {
    await response.body?.cancel();
    return { items: [], resourceVersion: 0, notServed: true };
  }
  if (!response.ok)
    throw new Error(`list ${server.kind.plural}: HTTP ${response.status}`);
  const body = (await response.json()) as any;
  return {
    items: body.items ?? [],
    resourceVersion: Number(body.metadata?.resourceVersion ?? 0),
  };
}

/** Why a watch stream stopped: the client must list again. */
class RelistNeeded extends Error {}

const RETRY_DELAY_MS = 200;
/** How often an optional kind the server does not serve is looked for again. */
const NOT_SERVED_RETRY_MS = 10_000;

/**
 * Keeps one kind's objects current the way client-go's reflector does
 * (k8s.io/client-go tools/cache/reflector.go): list, then watch from the
 * list's resourceVersion; a 410 Gone (ERROR event or status) or the end of
 * the stream leads to a fresh list. resourceVersions are compared as
 * integers: Kubernetes calls them opaque, but etcd's and the kube-sandbox's
 * are both increasing integers.
 */
export class KindWatcher {
  private readonly objects = new Map<string, KubeObject>();
  private stopped = false;
  private notServed = false;
  private abort = new AbortController();

  constructor(private readonly options: KindWatcherOptions) {}

  start(): Promise<void> {
    let resolveFirstList!: () => void;
    const firstList = new Promise<void>(resolve => {
      resolveFirstList = resolve;
    });
    void this.run(resolveFirstList);
    return firstList;
  }

  stop(): void {
    this.stopped = true;
    this.abort.abort();
  }

  private async run(onFirstList: () => void): Promise<void> {
    while (!this.stopped) {
      try {
        const resourceVersion = await this.list();
        onFirstList();
        if (resourceVersion === undefined) {
          await this.sleep(NOT_SERVED_RETRY_MS);
          continue;
        }
        await this.watch(resourceVersion);
      } catch (error) {
        if (this.stopped) return;
        if (!(error instanceof RelistNeeded)) this.options.onError(error);
        await new Promise(resolve => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }

  /** Waits, or less when the watcher is stopped. */
  private sleep(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }

  private url(query: string): string {
    return kindUrl(this.options, query);
  }

  /** undefined: an optional kind the server does not serve (no objects). */
  private async list(): Promise<number | undefined> {
    const { items, resourceVersion, notServed } = await listKind(
      this.options,
      this.abort.signal,
    );
    if (notServed) {
      if (!this.notServed || this.objects.size > 0) {
        this.objects.clear();
        this.options.onChange(this.objects, resourceVersion);
      }
      this.notServed = true;
      return undefined;
    }
    this.notServed = false;
    this.objects.clear();
    for (const item of items) {
      this.objects.set(
        objectKey(item.metadata.namespace, item.metadata.name),
        item,
      );
    }
    this.options.onChange(this.objects, resourceVersion);
    return resourceVersion;
  }

  private async watch(fromResourceVersion: number): Promise<void> {
    const response = await fetch(
      this.url(`?watch=true&resourceVersion=${fromResourceVersion}`),
      { headers: requestHeaders(this.options), signal: this.abort.signal },
    );
    if (response.status === 410) throw new RelistNeeded();
    if (!response.ok || !response.body) {
      throw new Error(
        `watch ${this.options.kind.plural}: HTTP ${response.status}`,
      );
    }
    const decoder = new TextDecoder();
    let pending = '';
    for await (const chunk of response.body as any as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline).trim();
        pending = pending.slice(newline + 1);
        if (line) this.apply(JSON.parse(line) as WatchEvent);
        newline = pending.indexOf('\n');
      }
    }
    // The server closed the stream (timeout or restart): list again.
    throw new RelistNeeded();
  }

  private apply(event: WatchEvent): void {
    if (event.type === 'ERROR') {
      // 410 Expired/Gone and any other watch error: start over from a list.
      throw new RelistNeeded();
    }
    const object = event.object as KubeObject;
    const resourceVersion = Number(object.metadata.resourceVersion ?? 0);
    if (event.type !== 'BOOKMARK') {
      const key = objectKey(object.metadata.namespace, object.metadata.name);
      if (event.type === 'DELETED') this.objects.delete(key);
      else this.objects.set(key, object);
    }
    this.options.onChange(this.objects, resourceVersion);
  }
}
