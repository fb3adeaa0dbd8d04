import fs from 'node:fs';
import path from 'node:path';
import { AppConfig, ConfigReader } from '@backstage/config';
import {
  ConfigSchema,
  FileConfigSource,
  loadConfigSchema,
} from '@backstage/config-loader';
import {
  readClusterConfig,
  readTenants,
} from '@inference-in-a-box/backstage-plugin-inference-node';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { CONFIGS_DIR, REPO_ROOT } from '../repoPaths';
import { KubeObject, readObjects, readTenantNamespaces } from './readManifests';

/**
 * The in-cluster portal's configuration, as the backend reads it: the files the Deployment's
 * `--config` arguments name, in their order (the image's app-config.yaml and
 * app-config.production.yaml, then the ConfigMap mounted at /etc/inference-portal), with the
 * Deployment's environment substituted the way Backstage does (@backstage/config-loader
 * FileConfigSource). Checked against the config schemas of every package the backend loads
 * (collected from packages/backend/package.json with `loadConfigSchema`, as the backend and
 * `backstage-cli config:check` do) and read by the inference plugins' own readers.
 */

const FIXTURES = path.join(__dirname, '__fixtures__');
/** The image's working directory holds the repository's root files (packages/backend/Dockerfile). */
const IMAGE_WORKDIR = REPO_ROOT;

const portalObjects = readObjects(path.join(CONFIGS_DIR, 'portal'));
const deployment = portalObjects.find(
  o => o.kind === 'Deployment' && o.metadata.name === 'inference-portal',
)!;
const configMaps = portalObjects.filter(o => o.kind === 'ConfigMap');

function readYamlObjects(file: string): KubeObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map(d => d.toJS() as KubeObject)
    .filter(Boolean);
}

function backendContainer(dep: KubeObject): KubeObject {
  return dep.spec.template.spec.containers.find(
    (c: KubeObject) => c.name === 'backend',
  );
}

/** The Deployment's environment: literal values, and a stand-in for each value from a Secret. */
function deploymentEnv(dep: KubeObject, { withOptional = true } = {}) {
  const env: Record<string, string> = {};
  for (const entry of backendContainer(dep).env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref?.optional && !withOptional) continue;
    env[entry.name] = ref
      ? `<${ref.name}/${ref.key}>`
      : String(entry.value ?? '');
  }
  return env;
}

/** Where a `--config` file of the Deployment comes from: a file of the image, or a ConfigMap key. */
type ConfigFile =
  | { file: string; path: string }
  | { file: string; configMap: KubeObject; key: string };

function configFiles(dep: KubeObject, maps: KubeObject[]): ConfigFile[] {
  const container = backendContainer(dep);
  const args: string[] = container.args ?? [];
  const files = args.flatMap((arg, i) =>
    arg === '--config' ? [args[i + 1]] : [],
  );
  return files.map(file => {
    if (!path.isAbsolute(file))
      return { file, path: path.join(IMAGE_WORKDIR, file) };
    const mount = (container.volumeMounts ?? []).find(
      (m: KubeObject) => path.dirname(file) === m.mountPath.replace(/\/$/, ''),
    );
    const volume = dep.spec.template.spec.volumes.find(
      (v: KubeObject) => v.name === mount?.name,
    );
    const configMap = maps.find(
      m => m.metadata.name === volume?.configMap?.name,
    );
    const key = path.basename(file);
    if (!configMap?.data?.[key])
      throw new Error(`${file}: no ConfigMap key mounted there`);
    return { file, configMap, key };
  });
}

/** The configs the backend would load, in order, with the given environment. */
async function layeredConfig(
  dep: KubeObject,
  maps: KubeObject[],
  env: Record<string, string>,
): Promise<AppConfig[]> {
  const configs: AppConfig[] = [];
  for (const entry of configFiles(dep, maps)) {
    const source =
      'configMap' in entry
        ? FileConfigSource.create({
            // The source reads a file: the ConfigMap's manifest, parsed down to the mounted key.
            path: path.join(CONFIGS_DIR, 'portal/configmap.yaml'),
            watch: false,
            substitutionFunc: async name => env[name],
            parser: async () => ({
              result: parse(entry.configMap.data[entry.key]),
            }),
          })
        : FileConfigSource.create({
            path: entry.path,
            watch: false,
            substitutionFunc: async name => env[name],
          });
    for await (const { configs: read } of source.readConfigData()) {
      configs.push(...read.map(c => ({ data: c.data, context: entry.file })));
    }
  }
  return configs;
}

/** The Groups of the file catalog locations a config registers, as the catalog would hold them. */
function catalogGroups(config: ConfigReader): KubeObject[] {
  return (config.getOptionalConfigArray('catalog.locations') ?? [])
    .filter(l => l.getString('type') === 'file')
    .flatMap(location => {
      const target = location.getString('target');
      return readYamlObjects(path.join(IMAGE_WORKDIR, target))
        .filter(e => e.kind === 'Group')
        .map(e => ({
          ...e,
          metadata: {
            namespace: 'default',
            ...e.metadata,
            annotations: {
              ...e.metadata.annotations,
              // Set by the catalog to the location an entity came from, resolved against the
              // working directory (both here and in the image: the same relative target).
              'backstage.io/managed-by-origin-location': `file:${path.resolve(
                target,
              )}`,
            },
          },
        }));
    });
}

async function tenantsOf(config: ConfigReader) {
  const { clusters } = readClusterConfig(config);
  const groups = catalogGroups(config);
  const problems: string[] = [];
  const log = (message: string) => problems.push(message);
  type Options = Parameters<typeof readTenants>[0];
  const tenants = await readTenants({
    catalog: {
      getEntities: async ({ filter }: { filter: Record<string, string> }) => ({
        items: groups.filter(g =>
          Object.entries(filter).every(([key, value]) =>
            key === 'kind' ? g.kind === value : g.spec?.type === value,
          ),
        ),
      }),
    } as unknown as Options['catalog'],
    auth: {
      getOwnServiceCredentials: async () => ({}),
    } as unknown as Options['auth'],
    config,
    logger: { warn: log, error: log } as unknown as Options['logger'],
    // The registry's default cluster is the first configured (inference-node ClusterRegistry).
    defaultCluster: clusters[0]?.name ?? 'local',
    clusterNames: clusters.map(c => c.name),
  });
  return { tenants, problems };
}

/** The `inference.platform.io/cluster` values of a catalog file's entities. */
function annotatedClusters(file: string): string[] {
  return readYamlObjects(path.join(REPO_ROOT, file))
    .map(e => e.metadata?.annotations?.['inference.platform.io/cluster'])
    .filter(Boolean);
}

/** The clusters the repository's catalog files name (`inference.platform.io/cluster`). */
const CATALOG_CLUSTERS = [
  ...annotatedClusters('catalog/org.yaml'),
  ...annotatedClusters('catalog/models.yaml'),
  ...annotatedClusters('catalog/org.production.yaml'),
];

/** Those of them the portal does not manage: their tenant groups and models are skipped. */
function unconfiguredCatalogClusters(portalConfig: ConfigReader): string[] {
  const names = readClusterConfig(portalConfig).clusters.map(c => c.name);
  return [...new Set(CATALOG_CLUSTERS)].filter(c => !names.includes(c));
}

const tenantNamespaces = readTenantNamespaces(
  path.join(CONFIGS_DIR, 'tenants'),
);

let schema: ConfigSchema;
let strictSchema: ConfigSchema;
let configs: AppConfig[];
let config: ConfigReader;

beforeAll(async () => {
  schema = await loadConfigSchema({
    dependencies: [],
    packagePaths: [path.join(REPO_ROOT, 'packages/backend/package.json')],
  });
  // Undeclared keys are errors too (where a schema declares the keys of an object): a misspelt key
  // is not silently ignored.
  strictSchema = await loadConfigSchema({
    serialized: schema.serialize(),
    noUndeclaredProperties: true,
  });
  configs = await layeredConfig(
    deployment,
    configMaps,
    deploymentEnv(deployment),
  );
  config = ConfigReader.fromConfigs(configs);
}, 120_000);

describe('in-cluster portal configuration (configs/portal)', () => {
  it('loads the image files and the mounted ConfigMap, in the order the Deployment names them', () => {
    expect(
      configFiles(deployment, configMaps).map(f =>
        'configMap' in f ? `${f.configMap.metadata.name}:${f.key}` : f.file,
      ),
    ).toEqual([
      'app-config.yaml',
      'app-config.production.yaml',
      'inference-portal-config:app-config.cluster.yaml',
    ]);
    expect(configs).toHaveLength(3);
  });

  it('passes the config schemas of every package the backend loads, undeclared keys included', () => {
    const packages = schema.serialize().schemas as Array<{
      packageName: string;
    }>;
    expect(packages.map(s => s.packageName)).toEqual(
      expect.arrayContaining([
        '@inference-in-a-box/backstage-plugin-inference-backend',
        '@inference-in-a-box/backstage-plugin-inference-node',
        '@backstage/plugin-kubernetes-backend',
        '@backstage/backend-defaults',
      ]),
    );
    expect(() => schema.process(configs)).not.toThrow();
    expect(() => strictSchema.process(configs)).not.toThrow();
  });

  it('manages one cluster, the one it runs in, with the same name for the inference plugins and the Kubernetes tab', () => {
    const { clusters } = readClusterConfig(config);
    expect(clusters).toEqual([
      {
        name: 'local',
        url: 'https://kubernetes.default.svc',
        serviceAccountToken: '<inference-portal-token/token>',
        caData: undefined,
        caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
        skipTLSVerify: false,
      },
    ]);
    const kubernetesTab = config
      .getConfigArray('kubernetes.clusterLocatorMethods')
      .flatMap(m => m.getOptionalConfigArray('clusters') ?? [])
      .map(c => c.getString('name'));
    expect(kubernetesTab).toEqual(clusters.map(c => c.name));
    // The CA file is the service account mount's, which the pod keeps.
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(
      true,
    );
  });

  it("finds the catalog's tenants on that cluster, in the namespaces of configs/tenants", async () => {
    const { tenants, problems } = await tenantsOf(config);
    expect(problems).toEqual([]);
    expect(
      tenants.map(t => `${t.name} ${t.cluster}/${t.namespace}`).sort(),
    ).toEqual(tenantNamespaces.map(ns => `${ns} local/${ns}`));
  });

  it("names every cluster the repository's catalog files name (development org and sample models too)", () => {
    expect(CATALOG_CLUSTERS.length).toBeGreaterThan(0);
    expect(unconfiguredCatalogClusters(config)).toEqual([]);
  });

  it('reads the JWT settings under the only keys the inference backend accepts', () => {
    const jwt = config.getConfig('inference.publishing.jwt');
    expect(jwt.keys().sort()).toEqual(['audiences', 'issuer', 'jwksUri']);
    expect(jwt.getStringArray('audiences')).toEqual(['inference-gateway']);
  });

  it("starts without the Deployment's optional environment (a Secret it marks optional may be absent)", async () => {
    const withoutOptional = ConfigReader.fromConfigs(
      await layeredConfig(
        deployment,
        configMaps,
        deploymentEnv(deployment, { withOptional: false }),
      ),
    );
    // Read at start. Outside development the auth backend stops the backend when a configured
    // provider lacks its settings (@backstage/plugin-auth-backend src/providers/router.ts
    // `bindProviderRouters`; the OIDC authenticator reads these three with getString).
    const startUp = [
      'app.baseUrl',
      'backend.baseUrl',
      'backend.database.connection.host',
      'backend.database.connection.user',
      'backend.database.connection.password',
      'auth.providers.oidc.production.metadataUrl',
      'auth.providers.oidc.production.clientId',
      'auth.providers.oidc.production.clientSecret',
    ];
    for (const key of startUp)
      expect({ key, set: withoutOptional.has(key) }).toEqual({
        key,
        set: true,
      });
    expect(withoutOptional.getString('backend.database.client')).toBe('pg');
    expect(withoutOptional.getString('auth.environment')).toBe('production');
    expect(deploymentEnv(deployment).NODE_ENV).toBe('production');
  });

  describe('fails on the configuration before issue 16', () => {
    const before = readYamlObjects(
      path.join(FIXTURES, 'portal-configmap.before-issue-16.yaml'),
    );
    const beforeDeployment = readYamlObjects(
      path.join(FIXTURES, 'portal-deployment.before-issue-16.yaml'),
    ).find(o => o.kind === 'Deployment')!;

    it('inference.clusters as a list of names: the schema and the plugin (at start) refuse it', async () => {
      const old = await layeredConfig(
        deployment,
        before,
        deploymentEnv(deployment),
      );
      expect(() => schema.process(old)).toThrow(
        /must be object.*at \/inference\/clusters\/0/,
      );
      expect(() => readClusterConfig(ConfigReader.fromConfigs(old))).toThrow(
        /inference\.clusters\[0\]/,
      );
    });

    it("a cluster named otherwise than the catalog's tenant groups and models name (local)", async () => {
      // The old ConfigMap without its `inference.clusters` list (the finding above), so that the
      // plugin reads the Kubernetes tab's cluster, as it does now.
      const withoutList = before.map(m => {
        const data = parse(m.data['app-config.cluster.yaml']);
        delete data.inference.clusters;
        return {
          ...m,
          data: { 'app-config.cluster.yaml': stringify(data) },
        };
      });
      const old = ConfigReader.fromConfigs(
        await layeredConfig(deployment, withoutList, deploymentEnv(deployment)),
      );
      expect(readClusterConfig(old).clusters.map(c => c.name)).toEqual([
        'inference-in-a-box',
      ]);
      expect(unconfiguredCatalogClusters(old)).toEqual(['local']);
      // the development org's tenant groups (catalog/org.yaml) name that cluster
      const { problems } = await tenantsOf(
        new ConfigReader({
          ...old.get<object>(),
          catalog: {
            locations: [{ type: 'file', target: 'catalog/org.yaml' }],
          },
          inference: {
            ...old.get<object>('inference'),
            tenants: { trustedLocations: ['file:catalog/org.yaml'] },
          },
        }),
      );
      expect(problems).toEqual(
        tenantNamespaces.map(ns =>
          expect.stringMatching(
            new RegExp(
              `^Ignoring tenant group group:default/${ns}: its cluster 'local' is not configured`,
            ),
          ),
        ),
      );
    });

    it('publishing.jwt.audience instead of audiences (as before the JWT audiences change)', async () => {
      const misspelt = configMaps.map(m => ({
        ...m,
        data: {
          'app-config.cluster.yaml': m.data['app-config.cluster.yaml'].replace(
            'audiences: [inference-gateway]',
            'audience: inference-gateway',
          ),
        },
      }));
      const old = await layeredConfig(
        deployment,
        misspelt,
        deploymentEnv(deployment),
      );
      expect(() => schema.process(old)).toThrow(
        /must have required property 'audiences'/,
      );
      expect(() => strictSchema.process(old)).toThrow(/audience/);
    });

    it('the OIDC client from an optional Secret: without it the portal cannot start', async () => {
      const old = ConfigReader.fromConfigs(
        await layeredConfig(
          beforeDeployment,
          configMaps,
          deploymentEnv(beforeDeployment, { withOptional: false }),
        ),
      );
      expect(old.has('auth.providers.oidc.production.clientId')).toBe(false);
    });
  });
});
