import { z } from 'zod/v3';
import { DNS_LABEL_PATTERN } from '../kubernetesNames';

/**
 * A model's coordinates (the API's ModelLocator): a configured cluster, and DNS labels for the
 * namespace and the name. The REST API's path parameters, the scaffolder actions and the agent
 * actions all read a model with this one schema. @public
 */
export const modelLocatorSchema = z
  .object({
    cluster: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9][-A-Za-z0-9_.]*$/, {
        message: 'is not a valid cluster name',
      }),
    namespace: z
      .string()
      .max(63)
      .regex(DNS_LABEL_PATTERN, { message: 'must be a DNS label' }),
    name: z
      .string()
      .max(63)
      .regex(DNS_LABEL_PATTERN, { message: 'must be a DNS label' }),
  })
  .describe(
    'The model: { cluster, namespace, name }, as inference:model:create outputs it',
  );

/**
 * One line per planned change, e.g. `create InferenceService tenant-a/iris`: how the scaffolder
 * and agent actions report a plan. @public
 */
export function describeChanges(
  changes: Array<{
    action: string;
    kind: string;
    namespace: string;
    name: string;
  }>,
): string[] {
  // Array.from, not changes.map: the result may be a scaffolder step output, and the templater
  // accepts only arrays of this realm, while `changes` may come from fetch's JSON parser (another
  // realm in Jest).
  return Array.from(
    changes,
    c => `${c.action} ${c.kind} ${c.namespace}/${c.name}`,
  );
}
