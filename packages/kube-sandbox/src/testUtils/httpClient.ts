/** A small fetch wrapper for talking to the sandbox in tests. */
export interface HttpResult {
  status: number;
  headers: Headers;
  body: any;
}

export function createHttpClient(
  baseUrl: string,
  defaults: Record<string, string> = {},
) {
  return async function request(
    method: string,
    path: string,
    options: {
      body?: unknown;
      contentType?: string;
      headers?: Record<string, string>;
    } = {},
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...defaults,
      ...options.headers,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      body =
        typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body);
    }
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body,
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON; keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

/** Reads newline-delimited JSON watch events until `count` arrived (or the timeout). */
export async function readWatchEvents(
  url: string,
  count: number,
  options: {
    timeoutMs?: number;
    afterConnect?: () => Promise<void>;
    headers?: Record<string, string>;
  } = {},
): Promise<Array<{ type: string; object: any }>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 5000);
  const events: Array<{ type: string; object: any }> = [];
  try {
    const response = await fetch(url, {
      signal: controller.signal,
      headers: options.headers,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let connected = false;
    for (;;) {
      if (!connected) {
        connected = true;
        await options.afterConnect?.();
      }
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        events.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
      if (events.length >= count) break;
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}
