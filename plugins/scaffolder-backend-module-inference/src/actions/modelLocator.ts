import type { z as zod } from 'zod/v3';

/** A model's coordinates, as `inference:model:create` outputs them (the API's ModelLocator). */
export const modelLocatorSchema = (z: typeof zod) =>
  z
    .object({
      cluster: z.string().min(1),
      namespace: z.string().min(1),
      name: z.string().min(1),
    })
    .describe(
      'The model, as inference:model:create outputs it: { cluster, namespace, name }',
    );
