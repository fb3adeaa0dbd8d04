// The inference plugin's actions served to AI agents over MCP (issue 19): the MCP actions backend
// (`@backstage/plugin-mcp-actions-backend`, `/api/mcp-actions/v1`, streamable HTTP) with
// `backend.actions.pluginSources: ['inference']`, the real permission framework with the portal's
// policy, the inference plugin on a Kubernetes sandbox, and the official MCP TypeScript client
// connecting over HTTP with a user's token, as an agent would.
//
// The MCP backend names tools `<pluginId>.<action name>` (`mcpActions.namespacedToolNames`, on by
// default), e.g. `inference.plan-publish` for the action `inference:plan-publish`; the lookup below
// also accepts the plain name. Tool failures come back as results with `isError: true` and the
// error's name and message as text (`NotAllowedError: ...`, `InputError: ...`).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import inferencePlugin from '@inference-in-a-box/backstage-plugin-inference-backend';
import {
  apiAs,
  apiKeyPublishRequest,
  InferenceTestBackend,
  irisSpec,
  startInferenceTestBackend,
} from '@internal/inference-test-utils';
import { mockCredentials } from '@backstage/backend-test-utils';
import type { AddressInfo } from 'node:net';
import {
  authHeader,
  Caller,
  portalPermissionFeatures,
} from '../permissions/__testUtils__/testServices';

jest.setTimeout(120_000);

/** The inference plugin's actions (the registry's `name`; the action id is `inference:<name>`). */
const INFERENCE_ACTIONS = [
  'list-models',
  'get-model',
  'plan-publish',
  'publish',
  'list-api-keys',
  'test-model',
  'get-usage',
  'get-rollout',
  'change-rollout',
] as const;
type ActionName = (typeof INFERENCE_ACTIONS)[number];

/** tenant-a's model (dev-b may not touch it) and tenant-b's two models (dev-b's tenant). */
const A = { cluster: 'local', namespace: 'tenant-a', name: 'iris' };
const B = { cluster: 'local', namespace: 'tenant-b', name: 'iris-b' };
const B2 = { cluster: 'local', namespace: 'tenant-b', name: 'iris-b2' };
type Model = typeof A;

const path = (m: Model) => `/models/${m.cluster}/${m.namespace}/${m.name}`;
const publication = (
  publicModelName: string,
  limits: Record<string, unknown> = { requestsPerMinute: 60 },
) => ({ publicModelName, auth: { apiKey: true }, limits });

interface ToolOutcome {
  isError: boolean;
  /** The text content (the output as JSON, or `<ErrorName>: <message>` for an error). */
  text: string;
  output: any;
}

describe('inference actions over MCP', () => {
  let backend: InferenceTestBackend;
  let mcpUrl: URL;
  const clients: Client[] = [];
  /** Every tool result of the whole test, as received, for the API-key check at the end. */
  const received: string[] = [];
  let toolNames: string[] = [];

  /** An MCP client as a demo user, or with the given Authorization header. */
  async function connect(caller: Caller | { header: string }): Promise<Client> {
    const client = new Client({ name: 'inference-mcp-test', version: '1.0.0' });
    const header =
      typeof caller === 'string' ? authHeader(caller) : caller.header;
    await client.connect(
      new StreamableHTTPClientTransport(mcpUrl, {
        requestInit: { headers: { Authorization: header } },
      }),
    );
    clients.push(client);
    return client;
  }

  /** The MCP tool of an inference action: `inference.<name>` (namespaced), else the plain name. */
  const toolName = (action: ActionName) =>
    toolNames.find(n => n === `inference.${action}`) ??
    toolNames.find(n => n === action || n.endsWith(`.${action}`)) ??
    `inference.${action}`;

  async function call(
    client: Client,
    action: ActionName,
    args: Record<string, unknown>,
  ): Promise<ToolOutcome> {
    const result = await client.callTool({
      name: toolName(action),
      arguments: args,
    });
    received.push(JSON.stringify(result));
    const content = (result.content ?? []) as Array<{
      type: string;
      text?: string;
    }>;
    return {
      isError: result.isError === true,
      text: content
        .filter(c => c.type === 'text')
        .map(c => c.text)
        .join('\n'),
      output: result.structuredContent,
    };
  }

  const admin = () => apiAs(backend, 'platform-admin');
  const history = async (m: Model) => {
    const response = await admin().get(`${path(m)}/history`);
    expect(response.status).toBe(200);
    return response.body.items as Array<Record<string, unknown>>;
  };
  const publicationOf = async (m: Model) => {
    const response = await admin().get(`${path(m)}/publication`);
    return { status: response.status, body: response.body };
  };

  /** Waits until the sandbox's controllers have finished writing (no new revision for 300 ms). */
  async function settled(): Promise<string> {
    let last = backend.sandbox.store.resourceVersion();
    for (let i = 0; i < 50; i++) {
      await new Promise(r => setTimeout(r, 300));
      const now = backend.sandbox.store.resourceVersion();
      if (now === last) return now;
      last = now;
    }
    return last;
  }

  /** What a refused call must leave as it was: the cluster, the publications and the histories. */
  async function state() {
    const models = [A, B, B2];
    return {
      revision: await settled(),
      publications: await Promise.all(models.map(publicationOf)),
      histories: await Promise.all(models.map(history)),
    };
  }

  /** Runs `act` and checks that it changed nothing. */
  async function changesNothing<T>(act: () => Promise<T>): Promise<T> {
    const before = await state();
    const result = await act();
    expect(await state()).toEqual(before);
    return result;
  }

  beforeAll(async () => {
    backend = await startInferenceTestBackend(inferencePlugin, {
      features: [...portalPermissionFeatures(), mcpActionsPlugin],
      rootConfig: {
        permission: { enabled: true },
        backend: { actions: { pluginSources: ['inference'] } },
      },
    });
    const { port } = (backend.server as { address(): AddressInfo }).address();
    mcpUrl = new URL(`http://localhost:${port}/api/mcp-actions/v1`);

    await admin().createReadyModel('tenant-a', irisSpec(A.name));
    await admin().createReadyModel('tenant-b', irisSpec(B.name));
    await admin().createReadyModel('tenant-b', irisSpec(B2.name));
  });
  afterAll(async () => {
    await Promise.all(clients.map(c => c.close().catch(() => {})));
    await backend?.stop();
  });

  it('refuses an MCP client without credentials', async () => {
    // The test backend's mock httpAuth takes a request without a header for a default user; the
    // anonymous caller's header stands for no credentials (as in the permission matrices).
    await expect(connect('anonymous')).rejects.toThrow(/401|unauthori[sz]ed/i);
  });

  it('connects as dev-b over streamable HTTP', async () => {
    const client = await connect('dev-b');
    expect(client.getServerVersion()).toMatchObject({ name: 'backstage' });
    expect(client.getServerCapabilities()).toHaveProperty('tools');
  });

  it('lists the inference tools to dev-b, each with a description and an input schema', async () => {
    const client = await connect('dev-b');
    const { tools } = await client.listTools();
    toolNames = tools.map(t => t.name);
    const missing = INFERENCE_ACTIONS.filter(
      action => !toolNames.includes(toolName(action)),
    );
    expect({ missing, listed: toolNames }).toEqual({
      missing: [],
      listed: toolNames,
    });
    for (const action of INFERENCE_ACTIONS) {
      const tool = tools.find(t => t.name === toolName(action))!;
      expect(tool.description).toEqual(expect.stringMatching(/\S/));
      expect(tool.inputSchema).toMatchObject({ type: 'object' });
    }
    // Namespaced by the plugin, so no other plugin's action can shadow one of these.
    expect(toolName('publish')).toBe('inference.publish');
  });

  it('lists only the models of dev-b’s tenant', async () => {
    const client = await connect('dev-b');
    const result = await call(client, 'list-models', {});
    expect(result).toMatchObject({ isError: false });
    const models = result.output.models as Model[];
    expect(models.map(m => m.name).sort()).toEqual([B.name, B2.name]);
    expect(models.every(m => m.namespace === 'tenant-b')).toBe(true);
    expect(result.text).not.toContain('tenant-a');
  });

  it('refuses dev-b planning a publication of tenant-a’s model and publishes nothing', async () => {
    const client = await connect('dev-b');
    const result = await changesNothing(() =>
      call(client, 'plan-publish', {
        model: A,
        publication: publication(A.name),
      }),
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/not allowed|permission|NotAllowedError/i);
    expect((await publicationOf(A)).status).toBe(404);
  });

  it('refuses dev-b rolling out a new version of tenant-a’s model and changes nothing', async () => {
    const client = await connect('dev-b');
    const result = await changesNothing(() =>
      call(client, 'change-rollout', {
        model: A,
        operation: {
          action: 'start',
          version: { storageUri: 'gs://b/m2', canaryTrafficPercent: 20 },
        },
        dryRun: false,
      }),
    );
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/not allowed|permission|NotAllowedError/i);
  });

  let publishedEndpoint = '';

  it('plans and publishes tenant-b’s model as dev-b, recorded as done by dev-b through an agent', async () => {
    const client = await connect('dev-b');
    const plan = await changesNothing(() =>
      call(client, 'plan-publish', {
        model: B,
        publication: publication(B.name),
      }),
    );
    expect(plan).toMatchObject({ isError: false });
    expect(plan.output).toMatchObject({
      planId: expect.stringMatching(/\S/),
      expiresAt: expect.any(String),
      changes: expect.arrayContaining([expect.any(String)]),
    });
    expect(new Date(plan.output.expiresAt).getTime()).toBeGreaterThan(
      Date.now(),
    );

    const published = await call(client, 'publish', {
      model: B,
      planId: plan.output.planId,
    });
    expect(published).toMatchObject({ isError: false });
    expect(published.output).toMatchObject({
      endpoint: expect.stringMatching(/^https:\/\//),
      publicModelName: B.name,
      changes: expect.any(Array),
    });
    publishedEndpoint = published.output.endpoint;

    const current = await publicationOf(B);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({
      publicModelName: B.name,
      endpoint: publishedEndpoint,
      limits: { requestsPerMinute: 60 },
    });
    expect(await history(B)).toContainEqual(
      expect.objectContaining({
        action: 'publication.publish',
        actor: 'user:default/dev-b',
        outcome: 'succeeded',
        via: expect.stringMatching(/agent/),
      }),
    );
  });

  describe('refuses to publish with a plan that does not hold, and changes nothing', () => {
    it('a made-up plan id', async () => {
      const client = await connect('dev-b');
      const result = await changesNothing(() =>
        call(client, 'publish', {
          model: B,
          planId: 'plan-0000000000000000',
        }),
      );
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/plan/i);
    });

    it('the plan of another model', async () => {
      const client = await connect('dev-b');
      const plan = await call(client, 'plan-publish', {
        model: B2,
        publication: publication(B2.name),
      });
      expect(plan).toMatchObject({ isError: false });
      const result = await changesNothing(() =>
        call(client, 'publish', { model: B, planId: plan.output.planId }),
      );
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/plan/i);
      expect((await publicationOf(B2)).status).toBe(404);
    });

    it('a plan made before the publication changed', async () => {
      const client = await connect('dev-b');
      const plan = await call(client, 'plan-publish', {
        model: B,
        publication: publication(B.name, { requestsPerMinute: 30 }),
      });
      expect(plan).toMatchObject({ isError: false });
      // Meanwhile the platform admin changes the limits through the portal's API.
      await admin().publish(
        B.namespace,
        B.name,
        apiKeyPublishRequest(B.name, { requestsPerMinute: 90 }),
      );
      const result = await changesNothing(() =>
        call(client, 'publish', { model: B, planId: plan.output.planId }),
      );
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/plan|changed|stale/i);
      expect((await publicationOf(B)).body.limits).toEqual({
        requestsPerMinute: 90,
      });
    });
  });

  it('refuses a caller that is not a user, e.g. a static external-access token, and changes nothing', async () => {
    // Such a token is a service principal: it has no tenants, and service principals pass every
    // permission check in Backstage, so the actions must insist on a user.
    const client = await connect({
      header: mockCredentials.service.header(),
    });
    const attempt = await changesNothing(async () => {
      const plan = await call(client, 'plan-publish', {
        model: A,
        publication: publication(A.name),
      });
      const publish = plan.isError
        ? plan
        : await call(client, 'publish', {
            model: A,
            planId: plan.output.planId,
          });
      return { plan, publish };
    });
    expect(attempt.plan.isError).toBe(true);
    expect(attempt.publish.isError).toBe(true);
    const models = await call(client, 'list-models', {});
    expect(models.isError || models.output?.models?.length === 0).toBe(true);
  });

  const HOSTILE: Array<[string, ActionName, Record<string, unknown>]> = [
    [
      'a model name with ../',
      'get-model',
      { model: { namespace: 'tenant-b', name: '../tenant-a/iris' } },
    ],
    [
      'a namespace with ../',
      'plan-publish',
      {
        model: { namespace: 'tenant-b/../tenant-a', name: 'iris' },
        publication: publication('traversal'),
      },
    ],
    [
      'a 10 KB model name',
      'plan-publish',
      {
        model: { namespace: 'tenant-b', name: 'a'.repeat(10 * 1024) },
        publication: publication('long'),
      },
    ],
    [
      'limits of -1',
      'plan-publish',
      {
        model: B2,
        publication: publication(B2.name, { requestsPerMinute: -1 }),
      },
    ],
    [
      'an unknown field',
      'plan-publish',
      {
        model: B2,
        publication: { ...publication(B2.name), extra: 'field' },
      },
    ],
    [
      'an unknown field at the top',
      'plan-publish',
      { model: B2, publication: publication(B2.name), dryRun: false },
    ],
    [
      'a plan id with ../',
      'publish',
      { model: B2, planId: '../../etc/passwd' },
    ],
    ['no model', 'list-api-keys', {}],
  ];
  it.each(HOSTILE)(
    'refuses %s with a validation message and changes nothing',
    async (_title, action, args) => {
      const client = await connect('dev-b');
      const result = await changesNothing(() => call(client, action, args));
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/InputError|invalid|validation/i);
    },
  );

  it('never returns an API key value in any tool output', async () => {
    const created = await apiAs(backend, 'dev-b').post(
      `${path(B)}/publication/keys`,
      { name: 'agent-check' },
    );
    expect(created.status).toBe(201);
    const key: string = created.body.key;
    expect(key.length).toBeGreaterThanOrEqual(16);

    const client = await connect('dev-b');
    const keys = await call(client, 'list-api-keys', { model: B });
    expect(keys).toMatchObject({ isError: false });
    // The key is listed (by its id and last four characters), never its value.
    expect(keys.text).toContain(created.body.id);
    await call(client, 'get-model', { model: B });
    await call(client, 'list-models', {});
    // Through the gateway with the publication's newest key, the one just created.
    await backend.gateway?.objects.waitUntilCurrent(15_000);
    const tested = await call(client, 'test-model', {
      model: B,
      request: {
        protocol: 'kserve-v1',
        target: 'gateway',
        body: { instances: [[6.8, 2.8, 4.8, 1.4]] },
      },
    });
    expect(tested).toMatchObject({ isError: false });
    // No Prometheus here: a clear error, collected all the same.
    await call(client, 'get-usage', { model: B, window: '1h' });

    expect(received.length).toBeGreaterThan(10);
    for (const output of received) {
      expect(output).not.toContain(key);
    }
  });
});
