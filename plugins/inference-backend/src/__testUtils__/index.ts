import { startInferenceTestBackend } from '@internal/inference-test-utils';
import { inferencePlugin } from '../plugin';

export { apiAs, createReadyModel } from '@internal/inference-test-utils';

/** This plugin on a test backend against a fresh Kubernetes sandbox (see inference-test-utils). */
export function startPluginBackend(
  options?: Parameters<typeof startInferenceTestBackend>[1],
) {
  return startInferenceTestBackend(inferencePlugin, options);
}
