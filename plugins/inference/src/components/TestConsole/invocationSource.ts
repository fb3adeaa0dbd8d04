import type {
  InferenceApi,
  ModelLocator,
  TestInvocationRequest,
  TestInvocationResult,
} from '@internal/backstage-plugin-inference-common';

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
 * Today's source: the backend relays the model's response only once it is complete, with every
 * event in `chunks`; they are handed on in order as soon as the answer arrives.
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
