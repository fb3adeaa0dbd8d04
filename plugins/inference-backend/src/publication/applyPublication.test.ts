// The order of a publication's writes and what a failure restores, against a recording cluster
// client whose writes can fail after landing (as a timed-out request may have).
import { ServiceUnavailableError } from '@backstage/errors';
import type { PlannedChange } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  ClusterClient,
  KINDS,
  KubeObject,
  ObjectRef,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { applyPublication } from './applyPublication';

const obj = (kind: keyof typeof KINDS, name: string): KubeObject => ({
  ...KINDS[kind],
  metadata: { name, namespace: 'tenant-a' },
});

const GUARDS = [
  obj('secret', 'm-api-keys'),
  obj('securityPolicy', 'm-auth'),
  obj('backendTrafficPolicy', 'm-rate-limits'),
];
const ROUTE = obj('httpRoute', 'm');

const plan = (action: PlannedChange['action'], objects: KubeObject[]) =>
  objects.map(o => ({
    action,
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: 'tenant-a',
    name: o.metadata.name,
    fieldChanges: [],
  }));

/** A cluster that stores objects, logs every write with its start and end, and fails on demand. */
function recordingCluster(failing: Record<string, 'before' | 'after'> = {}) {
  const stored = new Map<string, KubeObject>();
  const log: string[] = [];
  const key = (ref: ObjectRef) => `${ref.kind}/${ref.name}`;
  const write = async (
    verb: string,
    ref: ObjectRef,
    effect: () => void,
  ): Promise<void> => {
    log.push(`start ${verb} ${key(ref)}`);
    await new Promise(r => setTimeout(r, 5));
    const failure = failing[`${verb} ${key(ref)}`];
    if (failure === 'before') {
      log.push(`fail ${verb} ${key(ref)}`);
      throw new ServiceUnavailableError(`${key(ref)} unreachable`);
    }
    effect();
    log.push(`end ${verb} ${key(ref)}`);
    if (failure === 'after') {
      // It landed, but the answer never came: the caller cannot know.
      throw new ServiceUnavailableError(`${key(ref)} timed out`);
    }
  };
  const client = {
    name: 'local',
    fieldManager: 'inference-portal',
    async apply(o: KubeObject) {
      await write('apply', { ...o, ...o.metadata }, () =>
        stored.set(key({ ...o, ...o.metadata }), o),
      );
      return o;
    },
    async delete(ref: ObjectRef) {
      await write('delete', ref, () => stored.delete(key(ref)));
      return true;
    },
  } as unknown as ClusterClient;
  return { client, stored, log, failing };
}

describe('applyPublication', () => {
  it('applies the guards together, then the route', async () => {
    const { client, log } = recordingCluster();
    const desired = [...GUARDS, ROUTE];
    await applyPublication(client, [], desired, plan('create', desired));
    const routeStart = log.indexOf('start apply HTTPRoute/m');
    const guardEnds = GUARDS.map(g =>
      log.indexOf(`end apply ${g.kind}/${g.metadata.name}`),
    );
    expect(Math.max(...guardEnds)).toBeLessThan(routeStart);
    // Concurrently: every guard started before the first one ended.
    const guardStarts = GUARDS.map(g =>
      log.indexOf(`start apply ${g.kind}/${g.metadata.name}`),
    );
    expect(Math.max(...guardStarts)).toBeLessThan(Math.min(...guardEnds));
  });

  it('deletes the route before any guard when unpublishing', async () => {
    const { client, log } = recordingCluster();
    const current = [...GUARDS, ROUTE];
    await applyPublication(client, current, [], plan('delete', current));
    const routeEnd = log.indexOf('end delete HTTPRoute/m');
    const firstGuardStart = Math.min(
      ...GUARDS.map(g =>
        log.indexOf(`start delete ${g.kind}/${g.metadata.name}`),
      ),
    );
    expect(routeEnd).toBeGreaterThanOrEqual(0);
    expect(routeEnd).toBeLessThan(firstGuardStart);
  });

  it('restores every write of a failed group, those that failed after landing included', async () => {
    const { client, stored, log } = recordingCluster({
      'apply SecurityPolicy/m-auth': 'before',
      'apply BackendTrafficPolicy/m-rate-limits': 'after',
    });
    const desired = [...GUARDS, ROUTE];
    await expect(
      applyPublication(client, [], desired, plan('create', desired)),
    ).rejects.toThrow(
      /Publishing failed at SecurityPolicy tenant-a\/m-auth: .*Every object changed by this attempt was restored/,
    );
    expect(log).not.toContain('start apply HTTPRoute/m');
    // The BackendTrafficPolicy landed although its write failed: it is gone again.
    expect([...stored.keys()]).toEqual([]);
  });

  it('puts back the previous objects when an update fails at the route', async () => {
    const before = GUARDS.map(g => ({
      ...g,
      metadata: { ...g.metadata, labels: { version: 'old' } },
    }));
    const { client, stored } = recordingCluster({
      'apply HTTPRoute/m': 'before',
    });
    for (const o of [...before, ROUTE]) {
      stored.set(`${o.kind}/${o.metadata.name}`, o);
    }
    const desired = [
      ...GUARDS.map(g => ({
        ...g,
        metadata: { ...g.metadata, labels: { version: 'new' } },
      })),
      ROUTE,
    ];
    await expect(
      applyPublication(
        client,
        [...before, ROUTE],
        desired,
        plan('update', desired),
      ),
    ).rejects.toThrow(/Publishing failed at HTTPRoute tenant-a\/m/);
    expect(
      GUARDS.map(
        g =>
          stored.get(`${g.kind}/${g.metadata.name}`)?.metadata.labels?.version,
      ),
    ).toEqual(['old', 'old', 'old']);
  });
});
