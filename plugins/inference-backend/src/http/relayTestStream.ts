import type { Response } from 'express';
import { serializeError } from '@backstage/errors';
import type { TestInvocationResult } from '@inference-in-a-box/backstage-plugin-inference-common';
import { scrubError } from '@inference-in-a-box/backstage-plugin-inference-node';

/**
 * Relays a streamed test invocation to the browser as server-sent events while it arrives:
 * `chunk` events carry the model's event data, one `result` event the status, latency, headers
 * and usage at the end, or one `error` event. Failures before the first chunk (permission,
 * validation, an unreachable model) still answer with their HTTP status, since nothing was sent.
 */
export async function relayTestStream(
  res: Response,
  run: (onData: (data: string) => void) => Promise<TestInvocationResult>,
): Promise<void> {
  let started = false;
  const send = (event: string, data: string) => {
    if (!started) {
      started = true;
      res.status(200).set({
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      res.flushHeaders();
    }
    res.write(`event: ${event}\ndata: ${data}\n\n`);
    // Compression middleware buffers unless told to flush.
    (res as Response & { flush?: () => void }).flush?.();
  };
  try {
    const result = await run(data => send('chunk', data));
    send('result', JSON.stringify({ ...result, body: undefined }));
    res.end();
  } catch (error) {
    if (!started) throw error;
    const { stack: _stack, ...serialized } = serializeError(
      scrubError(error as Error),
    );
    send('error', JSON.stringify(serialized));
    res.end();
  }
}
