import { useCallback, useRef, useState } from 'react';
import type {
  TestInvocationRequest,
  TestInvocationResult,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import type { InvocationSource } from './invocationSource';

export type InvocationState =
  | { status: 'idle' }
  | { status: 'running'; chunks: string[] }
  | {
      status: 'done';
      chunks: string[];
      result: TestInvocationResult;
      request: TestInvocationRequest;
    }
  | { status: 'failed'; chunks: string[]; error: unknown };

/**
 * Sends test requests through a source and keeps the latest outcome. Chunks are appended as the
 * source delivers them; an answer to an earlier request that arrives late is ignored.
 */
export function useTestInvocation(source: InvocationSource) {
  const [state, setState] = useState<InvocationState>({ status: 'idle' });
  const latest = useRef(0);
  const send = useCallback(
    async (request: TestInvocationRequest) => {
      const id = ++latest.current;
      const chunks: string[] = [];
      setState({ status: 'running', chunks });
      const onChunk = (chunk: string) => {
        if (id !== latest.current) return;
        chunks.push(chunk);
        setState({ status: 'running', chunks: [...chunks] });
      };
      try {
        const result = await source(request, onChunk);
        if (id === latest.current)
          setState({ status: 'done', chunks: [...chunks], result, request });
      } catch (error) {
        if (id === latest.current)
          setState({ status: 'failed', chunks: [...chunks], error });
      }
    },
    [source],
  );
  return { state, send };
}
