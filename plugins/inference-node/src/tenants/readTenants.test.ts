import { resolve } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Entity } from '@backstage/catalog-model';
import { readTenants, readTrustedTenantLocations } from './readTenants';
import { tenantGroupEntity } from '@internal/inference-test-utils';

/** Where the catalog's ConfigLocationEntityProvider puts `file:../../catalog/org.yaml`. */
const ORG_FILE = `file:${resolve('../../catalog/org.yaml')}`;
const TRUSTED =
  'url:https://git.example.com/platform/org/blob/main/tenants.yaml';
const USER_REPO =
  'url:https://git.example.com/mallory/stuff/blob/main/catalog-info.yaml';

const group = (
  name: string,
  annotations: Record<string, string>,
  options: {
    members?: string[];
    type?: string;
    origin?: string | null;
    namespace?: string;
  } = {},
): Entity =>
  tenantGroupEntity({
    ...options,
    name,
    annotations,
    origin: options.origin === undefined ? TRUSTED : options.origin,
  });

function setup(
  entities: Entity[],
  inference: { tenants?: { trustedLocations: string[] } } = {
    tenants: { trustedLocations: [TRUSTED] },
  },
) {
  const logger = mockServices.logger.mock();
  const read = () =>
    readTenants({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      config: mockServices.rootConfig({ data: { inference } }),
      logger,
      defaultCluster: 'local',
      clusterNames: ['local', 'eu'],
    });
  const logged = () =>
    [...logger.warn.mock.calls, ...logger.error.mock.calls].map(c =>
      String(c[0]),
    );
  return { read, logger, logged };
}

const refs = (tenants: { ref: string }[]) => tenants.map(t => t.ref);

describe('readTenants', () => {
  it('reads trusted tenant groups with their namespace, cluster and members', async () => {
    const { read, logged } = setup([
      group(
        'tenant-a',
        { 'inference.platform.io/namespace': 'ns-a' },
        {
          members: ['user:default/zed', 'user:default/amy'],
        },
      ),
      group('tenant-b', {
        'inference.platform.io/namespace': 'ns-b',
        'inference.platform.io/cluster': 'eu',
      }),
      group('no-namespace', {}),
      group(
        'team',
        { 'inference.platform.io/namespace': 'ns-t' },
        {
          type: 'team',
        },
      ),
    ]);
    expect(await read()).toEqual([
      {
        ref: 'group:default/tenant-a',
        name: 'tenant-a',
        title: undefined,
        cluster: 'local',
        namespace: 'ns-a',
        members: ['user:default/amy', 'user:default/zed'],
      },
      {
        ref: 'group:default/tenant-b',
        name: 'tenant-b',
        title: undefined,
        cluster: 'eu',
        namespace: 'ns-b',
        members: [],
      },
    ]);
    expect(logged()).toEqual([]);
  });

  it('ignores tenant groups from untrusted or unknown origin locations, and logs each once', async () => {
    const { read, logged } = setup([
      group('tenant-a', { 'inference.platform.io/namespace': 'tenant-a' }),
      // The YAML's own origin annotation is what a forger would write; the catalog overwrites it,
      // so what arrives here is the location the user registered.
      group(
        'tenant-a',
        { 'inference.platform.io/namespace': 'tenant-a' },
        {
          namespace: 'mallory',
          origin: USER_REPO,
          members: ['user:default/mallory'],
        },
      ),
      group(
        'tenant-x',
        { 'inference.platform.io/namespace': 'tenant-x' },
        { origin: USER_REPO },
      ),
      group(
        'no-origin',
        { 'inference.platform.io/namespace': 'tenant-y' },
        { origin: null },
      ),
    ]);
    expect(refs(await read())).toEqual(['group:default/tenant-a']);
    expect(refs(await read())).toEqual(['group:default/tenant-a']);
    expect(logged()).toEqual([
      expect.stringContaining(
        `Ignoring tenant group group:mallory/tenant-a: it comes from catalog location '${USER_REPO}'`,
      ),
      expect.stringContaining('group:default/tenant-x'),
      expect.stringContaining(
        "group:default/no-origin: it comes from catalog location '(none)'",
      ),
    ]);
  });

  it('trusts by default the repository org file as app-config.yaml registers it, and nothing else', async () => {
    const { read } = setup(
      [
        group(
          'tenant-a',
          { 'inference.platform.io/namespace': 'tenant-a' },
          { origin: ORG_FILE },
        ),
        group(
          'tenant-b',
          { 'inference.platform.io/namespace': 'tenant-b' },
          { origin: TRUSTED },
        ),
        group(
          'tenant-c',
          { 'inference.platform.io/namespace': 'tenant-c' },
          // The same relative target a user could not register as a file location anyway: only
          // the absolute path the catalog resolves it to counts.
          { origin: 'file:../../catalog/org.yaml' },
        ),
      ],
      {},
    );
    expect(refs(await read())).toEqual(['group:default/tenant-a']);
  });

  it('resolves relative file locations like the catalog does, and trusts nothing when configured empty', () => {
    const config = (trustedLocations: string[]) =>
      mockServices.rootConfig({
        data: { inference: { tenants: { trustedLocations } } },
      });
    expect(
      readTrustedTenantLocations(config(['file:./org.yaml', TRUSTED])),
    ).toEqual([`file:${resolve('org.yaml')}`, TRUSTED]);
    expect(readTrustedTenantLocations(config([]))).toEqual([]);
    expect(() => readTrustedTenantLocations(config(['org.yaml']))).toThrow(
      /Invalid inference.tenants.trustedLocations entry 'org.yaml'/,
    );
  });

  it('refuses every group of a conflicting claim (fail closed) and logs the conflict once across reads', async () => {
    const { read, logger } = setup([
      group('tenant-a', { 'inference.platform.io/namespace': 'tenant-a' }),
      group('tenant-a-too', {
        'inference.platform.io/namespace': 'tenant-a',
        'inference.platform.io/cluster': 'local',
      }),
      group('tenant-b', { 'inference.platform.io/namespace': 'tenant-b' }),
      // Same namespace name on another cluster: no conflict.
      group('tenant-a-eu', {
        'inference.platform.io/namespace': 'tenant-a',
        'inference.platform.io/cluster': 'eu',
      }),
    ]);
    for (let i = 0; i < 3; i++) {
      expect(refs(await read())).toEqual([
        'group:default/tenant-b',
        'group:default/tenant-a-eu',
      ]);
    }
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      "Tenant groups group:default/tenant-a, group:default/tenant-a-too all claim namespace 'tenant-a' of cluster 'local'; none of them is a tenant until only one does",
    );
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('refuses trusted groups of the same name in different catalog namespaces (one label, one endpoint path)', async () => {
    const { read, logger } = setup([
      group('tenant-a', { 'inference.platform.io/namespace': 'ns-1' }),
      group(
        'tenant-a',
        { 'inference.platform.io/namespace': 'ns-2' },
        { namespace: 'other' },
      ),
      group('tenant-b', { 'inference.platform.io/namespace': 'ns-3' }),
    ]);
    expect(refs(await read())).toEqual(['group:default/tenant-b']);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        "group:default/tenant-a, group:other/tenant-a all claim the tenant name 'tenant-a'",
      ),
    );
  });

  it('does not let an untrusted group create a conflict', async () => {
    const { read, logger } = setup([
      group('tenant-a', { 'inference.platform.io/namespace': 'tenant-a' }),
      group(
        'squatter',
        { 'inference.platform.io/namespace': 'tenant-a' },
        { origin: USER_REPO },
      ),
    ]);
    expect(refs(await read())).toEqual(['group:default/tenant-a']);
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('logs a conflict again when it comes back after being resolved', async () => {
    const logger = mockServices.logger.mock();
    const read = (entities: Entity[]) =>
      readTenants({
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        config: mockServices.rootConfig({
          data: { inference: { tenants: { trustedLocations: [TRUSTED] } } },
        }),
        logger,
        defaultCluster: 'local',
        clusterNames: ['local'],
      });
    const a = group('tenant-a', { 'inference.platform.io/namespace': 'x' });
    const b = group('tenant-b', { 'inference.platform.io/namespace': 'x' });
    expect(await read([a, b])).toEqual([]);
    expect(refs(await read([a]))).toEqual(['group:default/tenant-a']);
    expect(await read([a, b])).toEqual([]);
    expect(logger.error).toHaveBeenCalledTimes(2);
  });

  it('skips a tenant with an invalid namespace, name or cluster and keeps the others', async () => {
    const { read, logged } = setup([
      group('tenant-a', { 'inference.platform.io/namespace': 'tenant-a' }),
      group('bad-namespace', {
        'inference.platform.io/namespace': 'Not_A_Label',
      }),
      group('long-namespace', {
        'inference.platform.io/namespace': 'x'.repeat(64),
      }),
      group('Upper_Name', { 'inference.platform.io/namespace': 'ns-u' }),
      group('bad-cluster', {
        'inference.platform.io/namespace': 'ns-c',
        'inference.platform.io/cluster': 'mars',
      }),
      group('tenant-b', { 'inference.platform.io/namespace': 'tenant-b' }),
    ]);
    expect(refs(await read())).toEqual([
      'group:default/tenant-a',
      'group:default/tenant-b',
    ]);
    await read();
    expect(logged()).toEqual([
      "Ignoring tenant group group:default/bad-namespace: its namespace 'Not_A_Label' is not a DNS label",
      expect.stringContaining(
        'Ignoring tenant group group:default/long-namespace: its namespace',
      ),
      "Ignoring tenant group group:default/upper_name: its name 'Upper_Name' is not a DNS label",
      "Ignoring tenant group group:default/bad-cluster: its cluster 'mars' is not configured",
    ]);
  });
});
