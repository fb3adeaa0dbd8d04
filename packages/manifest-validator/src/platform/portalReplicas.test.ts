import path from 'node:path';
import { CONFIGS_DIR } from '../repoPaths';
import { readObjects } from './readManifests';

/**
 * The portal runs as several replicas (docs/architecture.md, "Several replicas"; the multi-replica
 * tests in packages/backend/src/replicas): the Deployment, the budget that keeps one serving during
 * voluntary disruptions, and the probes that keep requests away from a replica that is not ready.
 */
const objects = readObjects(path.join(CONFIGS_DIR, 'portal'));
const deployment = objects.find(
  o => o.kind === 'Deployment' && o.metadata.name === 'inference-portal',
)!;
const container = deployment.spec.template.spec.containers.find(
  (c: { name: string }) => c.name === 'backend',
);
const podLabels = deployment.spec.template.metadata.labels;
const selects = (selector: { matchLabels: Record<string, string> }) =>
  Object.entries(selector.matchLabels).every(([k, v]) => podLabels[k] === v);

describe('the portal as several replicas (configs/portal)', () => {
  it('runs two replicas, replaced one at a time without going below two', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
  });

  it('keeps at least one replica through voluntary disruptions (a PodDisruptionBudget on its pods)', () => {
    const budgets = objects.filter(o => o.kind === 'PodDisruptionBudget');
    expect(budgets).toHaveLength(1);
    const [budget] = budgets;
    expect(budget.apiVersion).toBe('policy/v1');
    expect(budget.metadata.namespace).toBe(deployment.metadata.namespace);
    expect(budget.spec.minAvailable).toBe(1);
    expect(selects(budget.spec.selector)).toBe(true);
    // Fewer replicas than the budget would block every drain.
    expect(deployment.spec.replicas).toBeGreaterThan(budget.spec.minAvailable);
  });

  it("probes Backstage's health endpoints on the backend's port", () => {
    const port = container.ports.find(
      (p: { name: string }) => p.name === 'http',
    );
    expect(port.containerPort).toBe(7007);
    expect(container.readinessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/readiness',
      port: 'http',
    });
    expect(container.livenessProbe.httpGet).toEqual({
      path: '/.backstage/health/v1/liveness',
      port: 'http',
    });
  });

  it('requests CPU and memory, and caps memory', () => {
    expect(container.resources.requests).toEqual({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
  });

  it('spreads its replicas over nodes where it can', () => {
    const [spread] = deployment.spec.template.spec.topologySpreadConstraints;
    expect(spread).toMatchObject({
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
    });
    expect(selects(spread.labelSelector)).toBe(true);
  });
});
