import { startKubeSandbox, KubeSandbox } from '@internal/kube-sandbox';
import { createClusterClient } from './createClusterClient';
import { KINDS } from '../kinds';

jest.setTimeout(60_000);

/**
 * Many concurrent reads of objects big enough to be sent chunked (as an API server sends anything
 * over its 2 KiB buffer), over the client's keep-alive pool. node-fetch 2.7, client-node 1.4's
 * default transport, reported "Premature close" for a chunked response whose socket the agent had
 * already handed to a queued request (node-fetch lib/index.js,
 * `fixResponseChunkedTransferBadEnding`), and reads failed even after retries. The transport is
 * now Node's http module (nodeHttpLibrary.ts); the burst stays as the check that a transport
 * reads every chunked answer whole under load.
 */
describe('the cluster client under a burst of reads', () => {
  let sandbox: KubeSandbox;

  beforeAll(async () => {
    sandbox = await startKubeSandbox({ controllers: false });
    await fetch(`${sandbox.url}/api/v1/namespaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'burst' } }),
    });
  });
  afterAll(() => sandbox?.close());

  it('answers 200 concurrent reads of large objects without a transport error', async () => {
    const client = createClusterClient(
      {
        name: 'local',
        url: sandbox.url,
        serviceAccountToken: 'test',
        skipTLSVerify: true,
      },
      { fieldManager: 'inference-portal', requestTimeoutMs: 30_000 },
    );
    const secret = (i: number) => ({
      ...KINDS.secret,
      metadata: { name: `big-${i}`, namespace: 'burst' },
      data: { blob: Buffer.from('x'.repeat(16_384)).toString('base64') },
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.apply(secret(i))),
    );
    const reads = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        client.get({
          ...KINDS.secret,
          namespace: 'burst',
          name: `big-${i % 20}`,
        }),
      ),
    );
    const failures = reads.filter(r => r.status === 'rejected');
    expect(
      failures.map(f => String((f as PromiseRejectedResult).reason)),
    ).toEqual([]);
  });
});
