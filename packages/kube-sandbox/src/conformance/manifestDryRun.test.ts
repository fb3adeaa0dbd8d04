import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeSandbox } from '../sandbox';
import { loadCrdCatalog } from '../schema/catalog';
import { isPlainObject } from '../schema/structuralValidator';
import { JsonSchemaProps } from '../schema/types';
import { createHttpClient } from '../testUtils/httpClient';
import { Kubectl } from '../testUtils/kubectl';
import {
  describeKubectl,
  startKubectlSandbox,
  stopKubectlSandbox,
} from '../testUtils/kubectlSandbox';
import {
  addUnknownField,
  breakStringType,
  removeRequiredField,
} from '../testUtils/mutations';
import { SampleObject, sampleObjects } from '../testUtils/sampleObjects';

jest.setTimeout(60000);

const catalog = loadCrdCatalog();
const CONFIGS_DIR = path.resolve(__dirname, '../../../../configs');

/** Custom kinds the shared CRD folder leaves out on purpose (see its README). */
const KINDS_WITHOUT_SHARED_CRD = ['EnvoyProxy.gateway.envoyproxy.io'];

const CRD_GROUPS = new Set(catalog.kinds().map(k => k.group));

/** Groups of custom resources: any group with a CRD here, or a dotted group outside `*.k8s.io`. */
function isCustomGroup(group: string): boolean {
  return (
    CRD_GROUPS.has(group) || (group.includes('.') && !group.endsWith('.k8s.io'))
  );
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function isCustomResource(object: SampleObject): boolean {
  return CRD_GROUPS.has(groupOf(object.apiVersion));
}

function resourcePath(object: SampleObject): string {
  const kind = catalog.find(object.apiVersion, object.kind)!;
  const ns =
    kind.scope === 'Namespaced'
      ? `/namespaces/${object.metadata.namespace ?? 'default'}`
      : '';
  return `/apis/${object.apiVersion}${ns}/${kind.plural}/${object.metadata.name}`;
}

/** The CRD schema of the object's kind at its version. */
function schemaOf(object: SampleObject): JsonSchemaProps {
  return catalog
    .find(object.apiVersion, object.kind)!
    .schema(object.apiVersion.split('/')[1])!;
}

/** Objects found in the repository's configs/ folder, if it exists: custom resources (served or not) and built-in kinds. */
function configObjects(): {
  served: SampleObject[];
  unserved: string[];
  builtin: SampleObject[];
} {
  const served: SampleObject[] = [];
  const unserved: string[] = [];
  const builtin: SampleObject[] = [];
  if (!fs.existsSync(CONFIGS_DIR)) return { served, unserved, builtin };
  const files = fs
    .readdirSync(CONFIGS_DIR, { recursive: true, encoding: 'utf8' })
    .filter(f => /\.ya?ml$/.test(f))
    .sort();
  for (const file of files) {
    for (const doc of parseAllDocuments(
      fs.readFileSync(path.join(CONFIGS_DIR, file), 'utf8'),
    )) {
      const object = doc.toJS();
      if (
        !isPlainObject(object) ||
        typeof object.apiVersion !== 'string' ||
        typeof object.kind !== 'string'
      )
        continue;
      const group = groupOf(object.apiVersion);
      if (!isCustomGroup(group)) builtin.push(object as SampleObject);
      else if (catalog.find(object.apiVersion, object.kind))
        served.push(object as SampleObject);
      else unserved.push(`${object.kind}.${group}`);
    }
  }
  return { served, unserved, builtin };
}

function namespacesOf(objects: SampleObject[]): string[] {
  return [
    ...new Set(
      objects.map(o => o.metadata.namespace).filter((n): n is string => !!n),
    ),
  ];
}

describeKubectl(
  'manifests pass `kubectl apply --server-side --dry-run=server`',
  () => {
    let sandbox: KubeSandbox;
    let kubectl: Kubectl;
    let request: ReturnType<typeof createHttpClient>;
    const configs = configObjects();

    beforeAll(async () => {
      ({ sandbox, kubectl } = await startKubectlSandbox({
        controllers: false,
      }));
      request = createHttpClient(sandbox.url);
      for (const name of namespacesOf([
        ...sampleObjects(),
        ...configs.served,
        ...configs.builtin,
      ])) {
        await request('POST', '/api/v1/namespaces', {
          body: { metadata: { name } },
        });
      }
    });

    afterAll(async () => {
      await stopKubectlSandbox(sandbox, kubectl);
    });

    /** `kubectl apply --server-side --dry-run=server` of objects written to the manifest `name`. */
    const kubectlDryRun = (name: string, objects: object[]) =>
      kubectl.runWithManifest(
        ['apply', '--server-side', '--dry-run=server'],
        name,
        objects,
      );

    /** The same dry run over HTTP, as a server-side apply with `dryRun=All`. */
    const httpDryRun = (object: SampleObject, fieldValidation: string) =>
      request(
        'PATCH',
        `${resourcePath(
          object,
        )}?fieldManager=test&dryRun=All&fieldValidation=${fieldValidation}`,
        { contentType: 'application/apply-patch+yaml', body: object },
      );

    it('accepts every sample object and stores nothing', async () => {
      const samples = sampleObjects();
      const result = await kubectlDryRun('samples.yaml', samples);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n')).toHaveLength(samples.length);
      expect(result.stdout).not.toContain('error');
      expect(
        sandbox.store.list('serving.kserve.io/v1beta1', 'InferenceService'),
      ).toEqual([]);
    });

    it('accepts every custom resource under configs/', async () => {
      expect(
        configs.unserved.filter(k => !KINDS_WITHOUT_SHARED_CRD.includes(k)),
      ).toEqual([]);
      if (configs.served.length === 0) return;
      const result = await kubectlDryRun('configs.yaml', configs.served);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n')).toHaveLength(
        configs.served.length,
      );
    });

    it('accepts every built-in object under configs/ against the Kubernetes schemas', async () => {
      if (!fs.existsSync(CONFIGS_DIR)) return;
      // Namespaces, RBAC, the portal's and the tenants' objects, Redis, the collectors, ...
      expect(configs.builtin.length).toBeGreaterThan(20);
      const result = await kubectlDryRun(
        'configs-builtin.yaml',
        configs.builtin,
      );
      expect(result.stderr).toBe('');
      expect(result.stdout.trim().split('\n')).toHaveLength(
        configs.builtin.length,
      );
    });

    const customSamples = sampleObjects().filter(isCustomResource);

    it.each(
      customSamples.map(o => [`${o.kind} ${o.metadata.name}`, o] as const),
    )(
      'rejects broken copies of %s with the field named',
      async (_label, original) => {
        const schema = schemaOf(original);
        const wrongType = structuredClone(original);
        const wrongField = breakStringType(schema, wrongType);
        expect(wrongField).toBeDefined();
        const typeResult = await httpDryRun(wrongType, 'Strict');
        expect(typeResult.status).toBe(422);
        expect(typeResult.body.reason).toBe('Invalid');
        expect(typeResult.body.details.causes).toContainEqual(
          expect.objectContaining({
            reason: 'FieldValueTypeInvalid',
            field: wrongField,
          }),
        );

        const unknown = structuredClone(original);
        const unknownField = addUnknownField(schema, unknown);
        const strict = await httpDryRun(unknown, 'Strict');
        expect(strict.status).toBe(400);
        expect(strict.body).toMatchObject({
          reason: 'BadRequest',
          message: `strict decoding error: unknown field "${unknownField}"`,
        });
        const warned = await httpDryRun(unknown, 'Warn');
        expect(warned.status).toBe(201);
        expect(warned.headers.get('warning')).toContain(
          `unknown field \\"${unknownField}\\"`,
        );
        expect(catalog.validate(unknown, { strict: true })).toEqual([
          {
            reason: 'UnknownField',
            field: unknownField,
            message: `unknown field "${unknownField}"`,
          },
        ]);
      },
    );

    // Istio's PeerAuthentication and AuthorizationPolicy declare no required fields.
    const withRequiredFields = customSamples.filter(
      o => removeRequiredField(schemaOf(o), structuredClone(o)) !== undefined,
    );

    it('finds a required field in most samples', () => {
      expect(withRequiredFields.length).toBeGreaterThanOrEqual(
        customSamples.length - 2,
      );
    });

    it.each(
      withRequiredFields.map(o => [`${o.kind} ${o.metadata.name}`, o] as const),
    )(
      'rejects a copy of %s without a required field',
      async (_label, original) => {
        const missing = structuredClone(original);
        const missingField = removeRequiredField(schemaOf(original), missing);
        const result = await httpDryRun(missing, 'Strict');
        expect(result.status).toBe(422);
        expect(result.body.details.causes).toContainEqual({
          reason: 'FieldValueRequired',
          field: missingField,
          message: 'Required value',
        });
      },
    );

    it('shows kubectl the invalid field of a broken sample', async () => {
      const broken = sampleObjects().find(o => o.kind === 'AIGatewayRoute')!;
      broken.spec.rules[0].matches[0].headers[0].type = 'Fuzzy';
      const result = await kubectlDryRun('broken.yaml', [broken]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(
        'spec.rules[0].matches[0].headers[0].type: Unsupported value: "Fuzzy"',
      );
    });
  },
);
