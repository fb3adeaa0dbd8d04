import type {
  InferenceApi,
  ModelLocator,
  TestInvocationRequest,
  TestInvocationResult,
} from '@inference-in-a-box/backstage-plugin-inference-common';

/** Called for each server-sent event of a streamed response, in order. */
export type ChunkListener = (chunk: string) => void;

/**
 * Where test responses come from. The console renders streamed text from the chunks it receives
 * through `onChunk`, whenever they arrive, so a source that reads the stream as it is produced can
 * replace the buffered one without touching the components.
 */
export type InvocationSource = (
  request: TestInvocationRequest,
  onChunk: ChunkListener,
) => Promise<TestInvocationResult>;

/**
 * One request, one answer: a streamed response's events arrive together in `chunks` and are handed
 * on in order.
 */
export function bufferedInvocationSource(
  api: Pick<InferenceApi, 'testModel'>,
  locator: ModelLocator,
): InvocationSource {
  return async (request, onChunk) => {
    const result = await api.testModel(locator, request);
    for (const chunk of result.chunks ?? []) onChunk(chunk);
    return result;
  };
}

/**
 * Streamed requests are read as the model produces them (the backend relays server-sent events);
 * everything else is one request and one answer.
 */
export function streamingInvocationSource(
  api: Pick<InferenceApi, 'testModel' | 'streamTestModel'>,
  locator: ModelLocator,
): InvocationSource {
  const buffered = bufferedInvocationSource(api, locator);
  return (request, onChunk) =>
    request.stream
      ? api.streamTestModel(locator, request, onChunk)
      : buffered(request, onChunk);
}
