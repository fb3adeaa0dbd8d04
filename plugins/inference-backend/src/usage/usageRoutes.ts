import type express from 'express';
import { z } from 'zod/v3';
import { USAGE_WINDOWS } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { CallContext } from '../requestContext';
import { modelPathSchema, parseInput } from '../http/validation';
import type { UsageService } from './UsageService';

/** `?window=`: one of USAGE_WINDOWS, 24h when absent. Anything else is a 400 naming `window`. */
export const usageQuerySchema = z.object({
  window: z
    .enum(USAGE_WINDOWS, {
      errorMap: () => ({
        message: `must be one of ${USAGE_WINDOWS.join(', ')}`,
      }),
    })
    .default('24h'),
});

/**
 * The usage routes: a model's usage, and the usage of every tenant the caller may read. Input is
 * parsed here; permissions and the 501 of a portal without Prometheus are the service's.
 */
export function addUsageRoutes(
  router: express.Router,
  usage: UsageService | undefined,
  context: (req: express.Request) => Promise<CallContext>,
) {
  const service = () => {
    if (!usage) throw new Error('The usage service is not wired');
    return usage;
  };
  router.get('/models/:cluster/:namespace/:name/usage', async (req, res) => {
    const ctx = await context(req);
    const model = parseInput(modelPathSchema, req.params);
    const { window } = parseInput(usageQuerySchema, {
      window: req.query.window,
    });
    res.json(await service().modelUsage(ctx, model, window));
  });

  router.get('/usage/tenants', async (req, res) => {
    const ctx = await context(req);
    const { window } = parseInput(usageQuerySchema, {
      window: req.query.window,
    });
    res.json({ items: await service().tenantUsage(ctx, window) });
  });
}
