// What the rollout tests share: running the scheduled progress task by hand, publishing a model
// with an API key and predicting through the gateway double, and polling a rollout's status.
import type { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import type { mockServices } from '@backstage/backend-test-utils';
import { request } from 'undici';
import type { InferenceTestBackend, apiAs } from '../../__testUtils__';

type Api = ReturnType<typeof apiAs>;

/** The double's own response header naming the in-cluster Service that answered. */
export const SERVED_BY = 'x-kube-sandbox-served-by';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export const rolloutPath = (name: string) =>
  `/models/local/tenant-a/${name}/rollout`;

/** One run of the task that moves rollouts on, as each interval of the (mocked) scheduler does. */
export function progressRolloutsWith(
  scheduler: ReturnType<typeof mockServices.scheduler.mock>,
) {
  return async () => {
    const task = scheduler.scheduleTask.mock.calls
      .map(([d]) => d as SchedulerServiceTaskInvocationDefinition)
      .find(d => d.id === 'inference-progress-rollouts');
    await task!.fn(new AbortController().signal);
  };
}

/**
 * Polls the rollout of tenant-a's `name` until `done` holds, running `progress` (the progress
 * task) between polls when given: the controllers act a moment after each write.
 */
export async function rolloutUntil(
  api: Api,
  name: string,
  done: (status: any) => boolean,
  options: { progress?: () => Promise<void>; timeoutMs?: number } = {},
): Promise<any> {
  let last: any;
  const timeoutMs = options.timeoutMs ?? 15_000;
  for (let started = Date.now(); Date.now() - started < timeoutMs; ) {
    await options.progress?.();
    last = (await api.get(rolloutPath(name))).body;
    if (done(last)) return last;
    await sleep(50);
  }
  throw new Error(`rollout never got there: ${JSON.stringify(last)}`);
}

/**
 * Publishes tenant-a's `name` with an API key; answers a function that sends one prediction
 * through the gateway double and tells its status and which Service answered.
 */
export async function publishWithKey(
  backend: InferenceTestBackend,
  api: Api,
  name: string,
) {
  await api.publish('tenant-a', name, {
    publicModelName: name,
    auth: { apiKey: true },
    limits: {},
  });
  const key = await api.post(
    `/models/local/tenant-a/${name}/publication/keys`,
    { name: 'rollout-test' },
  );
  if (key.status !== 201) throw new Error(`no API key: ${key.status}`);
  const publication = (
    await api.get(`/models/local/tenant-a/${name}/publication`)
  ).body;
  const url = new URL(publication.endpoint);
  await backend.gateway!.objects.waitUntilCurrent();
  return async () => {
    const response = await request(
      `${backend.gateway!.url}${url.pathname}/v1/models/${name}:predict`,
      {
        method: 'POST',
        headers: {
          host: url.hostname,
          'content-type': 'application/json',
          'x-api-key': key.body.key,
        },
        body: JSON.stringify({ instances: [[6.8, 2.8, 4.8, 1.4]] }),
      },
    );
    await response.body.text();
    return {
      status: response.statusCode,
      servedBy: String(response.headers[SERVED_BY] ?? ''),
    };
  };
}
