// Waits until the portal started by scripts/start.sh is usable, then prints one line saying so and
// how long it took since `startedAtMs`: the frontend bundle is served on :3000, the backend signs the
// guest in, the catalog has ingested the model and tenant entities (the same counts twice in a row,
// since the catalog ingests its files in batches) and the inference API answers.
//
//   node scripts/lib/wait-for-portal.mjs <startedAtMs> [timeoutSeconds]
const FRONTEND = 'http://localhost:3000';
const BACKEND = 'http://localhost:7007';
const startedAt = Number(process.argv[2] ?? Date.now());
const deadline = Date.now() + Number(process.argv[3] ?? 300) * 1000;

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function json(path, token) {
  const response = await fetch(`${BACKEND}${path}`, {
    headers: {
      'X-Requested-With': 'XMLHttpRequest',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

/** What the guest (dev-a) sees, or undefined while the portal is still starting. */
async function probe() {
  const page = await fetch(FRONTEND);
  if (!page.ok || !(await page.text()).includes('<div id="root"'))
    return undefined;
  const session = await json('/api/auth/guest/refresh?env=development');
  const token = session.backstageIdentity.token;
  const models = await json(
    '/api/catalog/entities?filter=spec.type=model&fields=metadata.name',
    token,
  );
  const tenants = await json(
    '/api/catalog/entities?filter=kind=group,spec.type=tenant&fields=metadata.name',
    token,
  );
  await json('/api/inference/models', token);
  if (models.length === 0 || tenants.length === 0) return undefined;
  return `${models.length} models, ${tenants.length} tenants`;
}

let previous;
for (;;) {
  const seen = await probe().catch(() => undefined);
  if (seen !== undefined && seen === previous) {
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(
      `\x1b[1;32m==>\x1b[0m Portal ready in ${seconds} s: ${FRONTEND} (catalog: ${seen})`,
    );
    process.exit(0);
  }
  previous = seen;
  if (Date.now() > deadline) {
    console.error(
      `\x1b[1;31m==>\x1b[0m The portal was not ready after ${(
        (Date.now() - startedAt) /
        1000
      ).toFixed(0)} s`,
    );
    process.exit(1);
  }
  await sleep(seen === undefined ? 1000 : 500);
}
