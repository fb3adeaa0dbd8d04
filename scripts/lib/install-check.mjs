// The install test's checks of a running app backend (scripts/install-test.sh): the inference
// plugins answer a signed-in user with the sandbox's model, the catalog module has written the model
// entity, and the scaffolder has the template and its actions. Each check waits (bounded) for the
// catalog, which ingests its files and the cluster after start-up.
//
// Usage: node install-check.mjs <backend base URL>
const [backend] = process.argv.slice(2);
const TIMEOUT_MS = 180_000;

function fail(message) {
  console.error(`install check failed: ${message}`);
  process.exit(1);
}

/** Calls `read` every second until it returns a value, or fails with the last reason. */
async function eventually(what, read) {
  const deadline = Date.now() + TIMEOUT_MS;
  let reason = 'no answer';
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      reason = error.message;
    }
    if (Date.now() > deadline) fail(`${what}: ${reason}`);
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

async function get(path, token) {
  const response = await fetch(`${backend}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = await response.text();
  return { status: response.status, body };
}

function pass(message) {
  console.log(`    ok: ${message}`);
}

await eventually('the backend is ready', async () => {
  const { status } = await get('/.backstage/health/v1/readiness');
  return status === 200 ? true : undefined;
});
pass('the backend started');

const anonymous = await get('/api/inference/models');
if (anonymous.status !== 401) {
  fail(
    `GET /api/inference/models without a token: ${anonymous.status}, not 401`,
  );
}
pass('GET /api/inference/models without a token: 401');

// The guest provider signs in as user:default/ml-engineer (docs/install.md); its ownership
// includes tenant-a once the catalog has read examples/inference-org.yaml.
const identity = await eventually(
  'the guest signs in as a tenant-a member',
  async () => {
    const response = await fetch(
      `${backend}/api/auth/guest/refresh?env=development`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    if (!response.ok) throw new Error(`sign-in: ${response.status}`);
    const { backstageIdentity } = await response.json();
    const claims = backstageIdentity.identity.ownershipEntityRefs;
    if (!claims.includes('group:default/tenant-a')) {
      throw new Error(`claims ${JSON.stringify(claims)}`);
    }
    return backstageIdentity;
  },
);
pass(`signed in as ${identity.identity.userEntityRef}, member of tenant-a`);
const token = identity.token;

const models = await eventually(
  'GET /api/inference/models lists sklearn-iris',
  async () => {
    const { status, body } = await get('/api/inference/models', token);
    if (status !== 200) throw new Error(`${status} ${body}`);
    const { items } = JSON.parse(body);
    const found = items.find(m => m.name === 'sklearn-iris');
    if (!found) throw new Error(`items ${JSON.stringify(items)}`);
    if (found.tenant !== 'tenant-a' || found.namespace !== 'tenant-a') {
      throw new Error(`sklearn-iris as ${JSON.stringify(found)}`);
    }
    return items;
  },
);
pass(
  `GET /api/inference/models: 200, ${models
    .map(m => `${m.namespace}/${m.name}`)
    .join(', ')}`,
);

await eventually('the catalog module writes the model entity', async () => {
  const { status, body } = await get(
    '/api/catalog/entities/by-query?filter=kind=component,spec.type=model',
    token,
  );
  if (status !== 200) throw new Error(`${status} ${body}`);
  const names = JSON.parse(body).items.map(e => e.metadata.name);
  return names.includes('sklearn-iris') ? true : undefined;
});
pass('the catalog has the model component sklearn-iris');

await eventually(
  'the template and its actions are in the scaffolder',
  async () => {
    const template = await get(
      '/api/catalog/entities/by-name/template/default/deploy-model',
      token,
    );
    if (template.status !== 200)
      throw new Error(`template: ${template.status}`);
    const actions = await get('/api/scaffolder/v2/actions', token);
    if (actions.status !== 200) throw new Error(`actions: ${actions.status}`);
    const ids = JSON.parse(actions.body).map(a => a.id);
    for (const id of ['inference:model:create', 'inference:model:publish']) {
      if (!ids.includes(id)) throw new Error(`no action ${id}`);
    }
    return true;
  },
);
pass(
  'the "Deploy a model" template and the inference actions are in the scaffolder',
);
