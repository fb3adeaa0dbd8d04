import type express from 'express';
import {
  rolloutRequestSchema,
  rolloutTrafficSchema,
} from '@inference-in-a-box/backstage-plugin-inference-common';
import { modelPathSchema, parseDryRun, parseInput } from '../http/validation';
import type { CallContext } from '../requestContext';
import type { RolloutService } from './RolloutService';

/**
 * A model's rollout: its state, and the operations on it. Each operation takes `?dryRun=true`
 * for the review step (the plan, nothing written), as publishing does. Input is parsed here;
 * permissions and states are the service's.
 */
export function addRolloutRoutes(
  router: express.Router,
  rollouts: RolloutService,
  context: (req: express.Request) => Promise<CallContext>,
) {
  const rollout = '/models/:cluster/:namespace/:name/rollout';
  const model = (req: express.Request) =>
    parseInput(modelPathSchema, req.params);
  const dryRun = (req: express.Request) => ({ dryRun: parseDryRun(req.query) });

  router.get(rollout, async (req, res) => {
    res.json(await rollouts.status(await context(req), model(req)));
  });

  router.post(rollout, async (req, res) => {
    const ctx = await context(req);
    const request = parseInput(rolloutRequestSchema, req.body);
    res.json(
      await rollouts.change(
        ctx,
        model(req),
        { action: 'start', version: request },
        dryRun(req),
      ),
    );
  });

  router.put(`${rollout}/traffic`, async (req, res) => {
    const ctx = await context(req);
    const { canaryTrafficPercent } = parseInput(rolloutTrafficSchema, req.body);
    res.json(
      await rollouts.change(
        ctx,
        model(req),
        { action: 'traffic', canaryTrafficPercent },
        dryRun(req),
      ),
    );
  });

  router.post(`${rollout}/promote`, async (req, res) => {
    const ctx = await context(req);
    res.json(
      await rollouts.change(
        ctx,
        model(req),
        { action: 'promote' },
        dryRun(req),
      ),
    );
  });

  router.post(`${rollout}/rollback`, async (req, res) => {
    const ctx = await context(req);
    res.json(
      await rollouts.change(
        ctx,
        model(req),
        { action: 'rollback' },
        dryRun(req),
      ),
    );
  });
}
