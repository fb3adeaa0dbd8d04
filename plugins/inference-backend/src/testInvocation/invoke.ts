import { ServiceUnavailableError } from '@backstage/errors';
import type {
  TestInvocationResult,
  TokenUsage,
} from '@internal/backstage-plugin-inference-common';
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
  response: Response,
  maxBytes: number,
  onText?: (text: string) => void,
): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    onText?.(decoder.decode(value, { stream: true }));
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ServiceUnavailableError(
        `The model's response exceeded ${maxBytes} bytes; the test console shows at most that much`,
      );
    }
    chunks.push(value);
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
  let response: Response;
  try {
    response = await fetch(url, {
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
      redirect: 'manual',
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
  const isEventStream = (response.headers.get('content-type') ?? '').includes(
    'text/event-stream',
  );
  const text = await readCapped(
    response,
    limits.maxResponseBytes,
    isEventStream ? onText : undefined,
  );
  if (onText && pending.trim()) parseSseData(pending).forEach(options.onData!);
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (SHOWN_HEADERS.has(name)) headers[name] = value;
  });

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
      status: response.status,
      latencyMs,
      headers,
      body: events,
      chunks,
      ...(usage ? { usage } : {}),
    };
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: shown as text.
  }
  const usage = usageOf(body);
  return {
    status: response.status,
    latencyMs,
    headers,
    body,
    ...(usage ? { usage } : {}),
  };
}
