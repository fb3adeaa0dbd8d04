// The repository's "Deploy a model" template, dry-run by the real scaffolder with this module's
// actions against the real inference plugin: the form schema accepts what the form produces, the
// steps render into inputs the actions accept, and nothing is created.
import { mockCredentials } from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  InferenceTestBackend,
  startInferenceTestBackend,
  storedObjects,
} from '@internal/inference-test-utils';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import inferencePlugin from '@inference-in-a-box/backstage-plugin-inference-backend';
import scaffolderModuleInference from '@inference-in-a-box/backstage-plugin-scaffolder-backend-module-inference';

jest.setTimeout(60_000);

const TEMPLATE = resolve(
  __dirname,
  '../../../../catalog/templates/deploy-model/template.yaml',
);

interface DryRunResponse {
  steps: Array<{ id: string; name: string; action: string }>;
  log: Array<{ body: { message: string; stepId?: string; status?: string } }>;
  output: {
    links?: Array<{ title: string; entityRef?: string }>;
    text?: unknown[];
  };
}

describe('catalog/templates/deploy-model', () => {
  const template = parse(readFileSync(TEMPLATE, 'utf8'));
  let backend: InferenceTestBackend;

  beforeAll(async () => {
    backend = await startInferenceTestBackend(inferencePlugin, {
      features: [scaffolderPlugin, scaffolderModuleInference],
    });
  });
  afterAll(() => backend?.stop());

  const dryRun = (values: object) =>
    request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header('user:default/dev-a'))
      .send({ template, values, directoryContents: [] });

  const messages = (body: DryRunResponse) =>
    body.log.map(l => l.body.message).join('\n');

  it('has the clearly named steps the portal shows', () => {
    expect(
      template.spec.steps.map((s: { name: string; action: string }) => [
        s.name,
        s.action,
      ]),
    ).toEqual([
      ['Create the model', 'inference:model:create'],
      ['Publish', 'inference:model:publish'],
      ['Register', 'inference:model:awaitEntity'],
    ]);
  });

  it('dry-runs a model with publication: every step runs in preview, nothing is created', async () => {
    const response = await dryRun({
      name: 'iris-form',
      tenant: 'group:default/tenant-a',
      framework: 'sklearn',
      storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
      deploymentMode: 'Standard',
      minReplicas: 1,
      maxReplicas: 3,
      scaleTarget: 60,
      cpuRequest: '500m',
      memoryRequest: '1Gi',
      gpu: 0,
      publish: true,
      jwt: false,
      requestsPerMinute: 60,
      requestsPerHour: 3600,
    });
    expect({ status: response.status, error: response.body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    const body = response.body as DryRunResponse;
    const log = messages(body);
    expect(log).toContain(
      'Dry run, nothing was created. Would create InferenceService tenant-a/iris-form',
    );
    expect(log).toContain(
      "Dry run: model 'iris-form' does not exist yet; the publication request is valid",
    );
    expect(log).toContain(
      'Dry run: no model was created, so there is no entity to wait for',
    );
    expect(log).not.toMatch(/error/i);
    expect(storedObjects(backend, 'inferenceService', 'tenant-a')).toEqual([]);
  });

  it('dry-runs an OpenAI-compatible container without publishing', async () => {
    const response = await dryRun({
      name: 'vllm-chat',
      tenant: 'tenant-a',
      framework: 'custom-openai',
      image: 'vllm/vllm-openai:v0.11.0',
      args: ['--model=Qwen/Qwen2.5-0.5B-Instruct'],
      deploymentMode: 'Standard',
      minReplicas: 1,
      maxReplicas: 2,
      scaleTarget: 60,
      gpu: 1,
      publish: false,
    });
    expect(response.status).toBe(200);
    const log = messages(response.body);
    expect(log).toContain('Would create InferenceService tenant-a/vllm-chat');
    expect(log).not.toContain('publication request');
  });

  it("reports the backend's field error for an invalid combination the form cannot express", async () => {
    const response = await dryRun({
      name: 'scale-zero',
      tenant: 'tenant-a',
      framework: 'sklearn',
      storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
      deploymentMode: 'Standard',
      minReplicas: 0,
      maxReplicas: 3,
      scaleTarget: 60,
      gpu: 0,
      publish: false,
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      name: 'InputError',
      message:
        "Creating model 'scale-zero' in tenant-a: Invalid request: spec.minReplicas: can be 0 (scale to zero) only in Knative deployment mode",
    });
  });

  it('refuses form values the parameters schema rejects, before any step runs', async () => {
    const response = await dryRun({
      name: 'Not A DNS Name',
      tenant: 'tenant-a',
      framework: 'sklearn',
    });
    expect(response.status).toBe(400);
    const errors = response.body.errors as Array<{
      property: string;
      message: string;
    }>;
    expect(errors.map(e => `${e.property} ${e.message}`)).toEqual([
      'instance.name does not match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"',
      // sklearn needs a storage URI (the form's dependency on the framework).
      'instance does not meet dependency required by instance.framework',
      'instance.framework is not exactly one from [subschema 0],[subschema 1]',
    ]);
  });
});
