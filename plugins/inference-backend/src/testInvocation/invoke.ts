import { ServiceUnavailableError } from '@backstage/errors';
import { request } from 'undici';
import type {
  TestInvocationResult,
  TokenUsage,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { InvocationTarget } from './requestPaths';

export interface InvokeLimits {
  timeoutMs: number;
  maxResponseBytes: number;
}

export const DEFAULT_INVOKE_LIMITS: InvokeLimits = {
  timeoutMs: 30_000,
  maxResponseBytes: 1024 * 1024,
};

/** Response headers worth showing; anything else (cookies, auth challenges, internals) is dropped. */
const SHOWN_HEADERS = new Set([
  'content-type',
  'content-length',
  'date',
  'x-request-id',
  'x-envoy-upstream-service-time',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
]);

function usageOf(body: unknown): TokenUsage | undefined {
  const usage = (body as { usage?: Record<string, unknown> } | undefined)
    ?.usage;
  if (!usage || typeof usage !== 'object') return undefined;
  const pick = (k: string) =>
    typeof usage[k] === 'number' ? (usage[k] as number) : undefined;
  return {
    promptTokens: pick('prompt_tokens'),
    completionTokens: pick('completion_tokens'),
    totalTokens: pick('total_tokens'),
  };
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes: number,
  onText?: (text: string) => void,
): Promise<string> {
  const decoder = new TextDecoder();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    onText?.(decoder.decode(chunk, { stream: true }));
    size += chunk.byteLength;
    if (size > maxBytes) {
      body.destroy();
      throw new ServiceUnavailableError(
        `The model's response exceeded ${maxBytes} bytes; the test console shows at most that much`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Splits a server-sent-event stream into its `data:` payloads. */
export function parseSseData(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .flatMap(event =>
      event
        .split(/\r?\n/)
        .filter(line => line.startsWith('data:'))
        .map(line => line.slice(5).trimStart()),
    )
    .filter(data => data.length > 0);
}

/**
 * Sends one test request. The caller has already fixed the base URL (from configuration or the
 * model's own status) and the path (from the protocol): nothing from the request body reaches the URL.
 * `headers` may set `host`: a gateway call names the publication's hostname, which every listener
 * and route matches on, while the connection goes to the configured gateway address. (undici's
 * `request` sends a given Host; `fetch` may not, Host being a forbidden header name in Fetch.)
 */
export async function invoke(options: {
  baseUrl: string;
  target: InvocationTarget;
  headers: Record<string, string>;
  body?: unknown;
  stream?: boolean;
  limits?: InvokeLimits;
  /** Called with each server-sent event's data as it arrives, for relaying a stream. */
  onData?: (data: string) => void;
}): Promise<TestInvocationResult> {
  const limits = options.limits ?? DEFAULT_INVOKE_LIMITS;
  // Appended to the base's own path (`new URL(path, base)` would replace it).
  const url = new URL(options.baseUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${options.target.path}`;
  const started = performance.now();
  let response: Awaited<ReturnType<typeof request>>;
  try {
    // undici's `request` never follows redirects: a 3xx is shown, not followed.
    response = await request(url, {
      method: options.target.method,
      headers: {
        accept: options.stream ? 'text/event-stream' : 'application/json',
        ...(options.target.method === 'POST'
          ? { 'content-type': 'application/json' }
          : {}),
        ...options.headers,
      },
      body:
        options.target.method === 'POST'
          ? JSON.stringify(options.body ?? {})
          : undefined,
      signal: AbortSignal.timeout(limits.timeoutMs),
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      `The model did not answer (${
        (error as Error).name === 'TimeoutError'
          ? `no response within ${limits.timeoutMs} ms`
          : (error as Error).message
      })`,
    );
  }
  // Complete events are handed on as they arrive; a partial one waits for its end.
  let pending = '';
  const onText = options.onData
    ? (text: string) => {
        pending += text;
        const boundary = pending.lastIndexOf('\n\n');
        if (boundary < 0) return;
        parseSseData(pending.slice(0, boundary)).forEach(options.onData!);
        pending = pending.slice(boundary + 2);
      }
    : undefined;
  const isEventStream = String(response.headers['content-type'] ?? '').includes(
    'text/event-stream',
  );
  const text = await readCapped(
    response.body,
    limits.maxResponseBytes,
    isEventStream ? onText : undefined,
  );
  if (onText && pending.trim()) parseSseData(pending).forEach(options.onData!);
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    if (SHOWN_HEADERS.has(name) && value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }

  if (isEventStream) {
    const chunks = parseSseData(text);
    const events = chunks
      .filter(c => c !== '[DONE]')
      .flatMap(c => {
        try {
          return [JSON.parse(c) as unknown];
        } catch {
          return [];
        }
      });
    const usage = events.map(usageOf).filter(Boolean).pop();
    return {
      status: response.statusCode,
      latencyMs,
      headers,
      body: events,
      chunks,
      ...(usage ? { usage } : {}),
    };
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : ''; // an empty body stays empty, not JSON null
  } catch {
    // Not JSON: shown as text.
  }
  const usage = usageOf(body);
  return {
    status: response.statusCode,
    latencyMs,
    headers,
    body,
    ...(usage ? { usage } : {}),
  };
}
