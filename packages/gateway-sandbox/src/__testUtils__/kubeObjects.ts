import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KubeObject } from '../objects/types';

// Tests run from the source in the repository (never bundled): a stable anchor.
// eslint-disable-next-line no-restricted-syntax
const REPO_ROOT = path.resolve(__dirname, '../../../..');
const GOLDEN_DIR = path.join(
  REPO_ROOT,
  'plugins/inference-backend/src/publication/build/__golden__',
);

/** Objects of a YAML file in the repository (kinds the sandbox serves). */
export function loadYaml(relativePath: string): KubeObject[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, relativePath), 'utf8');
  return parseAllDocuments(text)
    .map(d => d.toJSON() as KubeObject)
    .filter(o => o && o.kind !== 'AuthorizationPolicy');
}

export function loadGolden(file: string): KubeObject[] {
  return loadYaml(path.relative(REPO_ROOT, path.join(GOLDEN_DIR, file)));
}

/** Namespace labelled so the platform Gateway's listeners admit its routes. */
export function tenantNamespace(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'inference.platform.io/tenant-namespace': 'true' },
    },
  };
}

export interface PublicationShape {
  namespace: string;
  name: string;
  hostname: string;
  /** Value of the x-ai-eg-model header match. */
  model: string;
  /** The one API key, stored under client id `client-<name>`. */
  apiKey: string;
}

/**
 * The OpenAI golden publication rewritten for another name, namespace,
 * hostname, model and key (every name and reference follows).
 */
export function openAiPublication(shape: PublicationShape): KubeObject[] {
  const text = JSON.stringify(loadGolden('openai-huggingface.yaml'))
    .replaceAll('llama31-8b', shape.name)
    .replaceAll('tenant-b', shape.namespace);
  const objects = JSON.parse(text) as KubeObject[];
  for (const o of objects) {
    if (o.kind === 'Secret') {
      o.data = {
        [`client-${shape.name}`]: Buffer.from(shape.apiKey).toString('base64'),
      };
    }
    if (o.kind === 'AIGatewayRoute') {
      o.spec.hostnames = [shape.hostname];
      o.spec.rules[0].matches[0].headers[0].value = shape.model;
    }
  }
  return objects;
}

export function decodedSecretKeys(
  objects: KubeObject[],
): Record<string, string> {
  const secret = objects.find(o => o.kind === 'Secret')!;
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );
}

/**
 * Builders for hand-made routes in one namespace: an FQDN Backend, a backendRef to it, and an
 * HTTPRoute on the tier-1 Gateway for `<name>.inference-in-a-box` whose one rule matches every
 * path and carries `rule` (backendRefs, filters, ...).
 */
export function routeObjectsIn(namespace: string) {
  const parentRefs = [
    {
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      name: 'ai-inference-gateway',
      namespace: 'envoy-gateway-system',
    },
  ];
  return {
    parentRefs,
    backend: (name: string, hostname: string, port = 80): KubeObject => ({
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'Backend',
      metadata: { name, namespace },
      spec: { endpoints: [{ fqdn: { hostname, port } }] },
    }),
    backendRef: (name: string, extra: Record<string, unknown> = {}) => ({
      group: 'gateway.envoyproxy.io',
      kind: 'Backend',
      name,
      ...extra,
    }),
    httpRoute: (name: string, rule: Record<string, unknown>): KubeObject => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace },
      spec: {
        parentRefs,
        hostnames: [`${name}.inference-in-a-box`],
        rules: [
          { matches: [{ path: { type: 'PathPrefix', value: '/' } }], ...rule },
        ],
      },
    }),
  };
}
