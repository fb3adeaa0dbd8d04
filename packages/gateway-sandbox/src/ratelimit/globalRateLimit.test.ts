import { KubeObject } from '../objects/types';
import { sendToGateway } from '../__testUtils__/gatewayClient';
import { Harness, startHarness } from '../__testUtils__/harness';
import { openAiPublication } from '../__testUtils__/kubeObjects';

/**
 * BackendTrafficPolicy global rate limits on the OpenAI golden publication,
 * through real HTTP: per-client request limits with EG's x-ratelimit
 * headers, clock-aligned windows, and token budgets charged from the mock
 * model's `usage` after each response.
 */
describe('global rate limits behind the gateway double', () => {
  // 10 s into a minute (and an hour): windows end 50 s later.
  let now = Date.UTC(2030, 0, 1, 0, 0, 10);
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ clock: () => now });
  });
  afterAll(() => harness.close());

  const perClient = { name: 'x-inference-client-id', type: 'Distinct' };

  /** The golden publication in its own namespace, with `rules` and keys. */
  async function publish(name: string, rules: unknown[]) {
    const objects: KubeObject[] = openAiPublication({
      namespace: `rl-${name}`,
      name,
      hostname: `${name}.inference-in-a-box`,
      model: 'llama-3.1-8b',
      apiKey: `sk-${name}-a`,
    });
    const secret = objects.find(o => o.kind === 'Secret')!;
    secret.data![`client-${name}-b`] = Buffer.from(`sk-${name}-b`).toString(
      'base64',
    );
    const policy = objects.find(o => o.kind === 'BackendTrafficPolicy')!;
    policy.spec.rateLimit.global.rules = rules;
    await harness.publish(objects);
    return {
      /** Replaces the rules (counters are kept: same descriptors). */
      setRules: async (next: unknown[]) => {
        policy.spec.rateLimit.global.rules = next;
        await harness.publish([policy]);
      },
      ask: (
        key: 'a' | 'b',
        headers: Record<string, string> = {},
        stream = false,
      ) =>
        sendToGateway(harness.gateway.url, {
          host: `${name}.inference-in-a-box`,
          path: '/v1/chat/completions',
          headers: { 'x-api-key': `sk-${name}-${key}`, ...headers },
          body: {
            model: 'llama-3.1-8b',
            stream,
            messages: [{ role: 'user', content: 'count my tokens' }],
          },
        }),
    };
  }

  const tokenRule = (requests: number, key = 'llm_total_token') => ({
    clientSelectors: [{ headers: [perClient] }],
    limit: { requests, unit: 'Hour' },
    cost: {
      request: { from: 'Number', number: 0 },
      response: {
        from: 'Metadata',
        metadata: { namespace: 'io.envoy.ai_gateway', key },
      },
    },
  });

  describe('5 requests per minute per client id', () => {
    let pub: Awaited<ReturnType<typeof publish>>;
    beforeAll(async () => {
      pub = await publish('perminute', [
        {
          clientSelectors: [{ headers: [perClient] }],
          limit: { requests: 5, unit: 'Minute' },
        },
      ]);
    });

    it("refuses key A's 6th request with 429 and the headers, key B still passes", async () => {
      for (let i = 1; i <= 5; i++) {
        const ok = await pub.ask('a');
        expect(ok.status).toBe(200);
        expect(ok.headers['x-ratelimit-limit']).toBe('5, 5;w=60');
        expect(ok.headers['x-ratelimit-remaining']).toBe(String(5 - i));
        expect(ok.headers['x-ratelimit-reset']).toBe('50');
      }
      const refused = await pub.ask('a');
      expect(refused.status).toBe(429);
      expect(refused.text).toBe('');
      expect(refused.headers['x-ratelimit-limit']).toBe('5, 5;w=60');
      expect(refused.headers['x-ratelimit-remaining']).toBe('0');
      expect(refused.headers['x-ratelimit-reset']).toBe('50');
      expect(refused.headers['x-envoy-ratelimited']).toBeUndefined();
      const other = await pub.ask('b');
      expect(other.status).toBe(200);
      expect(other.headers['x-ratelimit-remaining']).toBe('4');
    });

    it('starts a new window at the minute boundary, not before', async () => {
      now = Date.UTC(2030, 0, 1, 0, 0, 59, 999);
      expect((await pub.ask('a')).status).toBe(429);
      now = Date.UTC(2030, 0, 1, 0, 1, 0);
      const renewed = await pub.ask('a');
      expect(renewed.status).toBe(200);
      expect(renewed.headers['x-ratelimit-remaining']).toBe('4');
      expect(renewed.headers['x-ratelimit-reset']).toBe('60');
    });
  });

  describe('tokens per hour from the response usage', () => {
    it('passes until the recorded total tokens exceed the limit, then 429', async () => {
      const pub = await publish('tokens', [tokenRule(1_000_000)]);
      const first = await pub.ask('a');
      expect(first.status).toBe(200);
      const used = JSON.parse(first.text).usage.total_tokens as number;
      expect(used).toBeGreaterThan(1);
      await pub.setRules([tokenRule(2 * used)]);
      // Recorded: used, then 2 * used; the request itself costs 0, so the
      // third check (2 * used, not more than the limit) still passes.
      expect((await pub.ask('a')).status).toBe(200);
      expect((await pub.ask('a')).status).toBe(200);
      const refused = await pub.ask('a');
      expect(refused.status).toBe(429);
      expect(refused.headers['x-ratelimit-limit']).toBe(
        `${2 * used}, ${2 * used};w=3600`,
      );
      expect((await pub.ask('b')).status).toBe(200);
    });

    it("counts a streamed response's usage (final chunk before [DONE])", async () => {
      const pub = await publish('streamed', [tokenRule(1_000_000)]);
      const streamed = await pub.ask('a', {}, true);
      expect(streamed.status).toBe(200);
      const events = streamed.text
        .split('\n')
        .filter(line => line.startsWith('data: {'))
        .map(line => JSON.parse(line.slice('data: '.length)));
      const used = events[events.length - 1].usage.total_tokens as number;
      await pub.setRules([tokenRule(used - 1)]);
      expect((await pub.ask('a')).status).toBe(429);
      expect((await pub.ask('b')).status).toBe(200);
    });
  });

  // The golden AIGatewayRoute's llmRequestCosts set llm_input_token (InputToken),
  // llm_output_token (OutputToken) and llm_total_token (TotalToken); a rule charges the key it names.
  describe.each([
    ['llm_input_token', 'prompt_tokens'],
    ['llm_output_token', 'completion_tokens'],
    ['llm_total_token', 'total_tokens'],
  ])('a budget charged from %s', (metadataKey, usageField) => {
    it(`charges each answer's usage.${usageField}, no more and no less`, async () => {
      const pub = await publish(`charge-${usageField.split('_')[0]}`, [
        tokenRule(1_000_000, metadataKey),
      ]);
      const first = await pub.ask('a');
      expect(first.status).toBe(200);
      const usage = JSON.parse(first.text).usage;
      // Three different counts: a rule charged from another key fails below.
      expect(
        new Set([
          usage.prompt_tokens,
          usage.completion_tokens,
          usage.total_tokens,
        ]).size,
      ).toBe(3);
      const charged = usage[usageField] as number;
      expect(charged).toBeGreaterThan(0);
      // Recorded so far: one answer's count, not over a budget of exactly that.
      await pub.setRules([tokenRule(charged, metadataKey)]);
      expect((await pub.ask('a')).status).toBe(200);
      // Recorded: two answers' counts, over a budget of one less.
      await pub.setRules([tokenRule(2 * charged - 1, metadataKey)]);
      expect((await pub.ask('a')).status).toBe(429);
      expect((await pub.ask('b')).status).toBe(200);
    });
  });

  describe('an Exact header selector', () => {
    it('counts and limits only the requests that carry the value', async () => {
      const pub = await publish('exact', [
        {
          clientSelectors: [
            { headers: [{ name: 'x-tier', type: 'Exact', value: 'free' }] },
          ],
          limit: { requests: 2, unit: 'Minute' },
        },
      ]);
      for (let i = 0; i < 3; i++) {
        const other = await pub.ask('a', { 'x-tier': 'gold' });
        expect(other.status).toBe(200);
        // No descriptor, no call to the rate limit service, no headers.
        expect(other.headers['x-ratelimit-limit']).toBeUndefined();
      }
      expect((await pub.ask('a', { 'x-tier': 'free' })).status).toBe(200);
      expect((await pub.ask('b', { 'x-tier': 'free' })).status).toBe(200);
      expect((await pub.ask('a', { 'x-tier': 'free' })).status).toBe(429);
      expect((await pub.ask('a')).status).toBe(200);
    });
  });
});
