import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TestInvocationResult } from '@inference-in-a-box/backstage-plugin-inference-common';
import {
  apiFailing,
  fakeInferenceApi,
} from '../../__testUtils__/fakeInferenceApi';
import { modelEntity, publication } from '../../__testUtils__/fixtures';
import { renderForModel } from '../../__testUtils__/render';
import { TestConsoleContent } from './TestConsoleContent';

const key = {
  id: 'key-000000000001',
  name: 'key-1',
  createdAt: '2026-01-01T10:00:00Z',
  last4: 'wxyz',
};
const sse = (content: string) =>
  JSON.stringify({ choices: [{ index: 0, delta: { content } }] });

describe('TestConsoleContent: predictive models', () => {
  it('sends the iris preset of a published predictive model through the gateway and shows the prediction', async () => {
    const result: TestInvocationResult = {
      status: 200,
      latencyMs: 42.5,
      headers: { 'content-type': 'application/json' },
      body: { predictions: [1, 1] },
    };
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () => publication({ apiKeys: [key] })),
      testModel: jest.fn(async () => result),
    });
    await renderForModel(<TestConsoleContent />, { api });
    expect(await screen.findByLabelText('Protocol')).toHaveValue('kserve-v1');
    expect(
      JSON.parse(
        (screen.getByLabelText('Request body (JSON)') as HTMLTextAreaElement)
          .value,
      ),
    ).toEqual({
      instances: [
        [6.8, 2.8, 4.8, 1.4],
        [6.0, 3.4, 4.5, 1.6],
      ],
    });
    expect(screen.getByLabelText(/Through the public gateway/)).toBeChecked();

    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(
      await screen.findByLabelText('Response status 200'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Latency')).toHaveTextContent('42.5 ms');
    expect(
      JSON.parse(screen.getByLabelText('Response body').textContent!),
    ).toEqual({ predictions: [1, 1] });
    expect(api.testModel).toHaveBeenCalledWith(
      { cluster: 'local', namespace: 'tenant-a', name: 'sklearn-iris' },
      {
        protocol: 'kserve-v1',
        target: 'gateway',
        body: {
          instances: [
            [6.8, 2.8, 4.8, 1.4],
            [6.0, 3.4, 4.5, 1.6],
          ],
        },
      },
    );
  });

  it('switches to the v2 preset and goes in-cluster when the model is not published', async () => {
    const api = fakeInferenceApi({
      testModel: jest.fn(async () => ({
        status: 200,
        latencyMs: 3,
        headers: {},
        body: { outputs: [] },
      })),
    });
    await renderForModel(<TestConsoleContent />, { api });
    expect(
      await screen.findByLabelText(/Through the public gateway/),
    ).toBeDisabled();
    expect(
      screen.getByText('Publish the model to test it through the gateway.'),
    ).toBeInTheDocument();
    await userEvent.selectOptions(
      screen.getByLabelText('Protocol'),
      'kserve-v2',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(
      await screen.findByLabelText('Response status 200'),
    ).toBeInTheDocument();
    expect(api.testModel.mock.calls[0][1]).toMatchObject({
      protocol: 'kserve-v2',
      target: 'in-cluster',
      body: { inputs: [{ name: 'input-0', shape: [2, 4], datatype: 'FP32' }] },
    });
  });
});

describe('TestConsoleContent: which key a gateway call sends', () => {
  const older = { ...key, id: 'key-000000000000', name: 'ci', last4: 'abcd' };

  it('sends a chosen key by id, or none, and explains the refusal the gateway answers', async () => {
    const refusals: TestInvocationResult[] = [
      {
        status: 401,
        latencyMs: 2,
        headers: { 'content-type': 'text/plain' },
        body: 'Client authentication failed.',
      },
      {
        status: 429,
        latencyMs: 1,
        headers: {
          'x-ratelimit-limit': '5, 5;w=60',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '17',
        },
        body: '',
      },
    ];
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () =>
        publication({ apiKeys: [older, key] }),
      ),
      testModel: jest.fn(async () => refusals.shift()!),
    });
    await renderForModel(<TestConsoleContent />, { api });
    const keyField = await screen.findByLabelText('API key');
    expect(keyField).toHaveDisplayValue('Newest: key-1 (…wxyz)');

    await userEvent.selectOptions(keyField, 'none');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(
      await screen.findByLabelText('Response status 401'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Gateway refusal')).toHaveTextContent(
      /API key is missing, unknown, revoked/,
    );
    expect(screen.getByLabelText('Response body')).toHaveTextContent(
      'Client authentication failed.',
    );
    expect(api.testModel.mock.calls[0][1]).toMatchObject({
      withoutApiKey: true,
    });
    expect(api.testModel.mock.calls[0][1]).not.toHaveProperty('apiKeyId');

    await userEvent.selectOptions(keyField, older.id);
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(
      await screen.findByLabelText('Response status 429'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Gateway refusal')).toHaveTextContent(
      "The gateway rate-limited the call: the key's limit is 5 per 60 s; the window resets in 17 s.",
    );
    expect(screen.getByLabelText('Response body')).toHaveTextContent(
      '(empty body)',
    );
    expect(api.testModel.mock.calls[1][1]).toMatchObject({
      apiKeyId: older.id,
    });
    expect(api.testModel.mock.calls[1][1]).not.toHaveProperty('withoutApiKey');
  });

  it('sends no key field in-cluster and explains nothing there', async () => {
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () => publication({ apiKeys: [key] })),
      testModel: jest.fn(async () => ({
        status: 401,
        latencyMs: 1,
        headers: {},
        body: 'from the model server',
      })),
    });
    await renderForModel(<TestConsoleContent />, { api });
    await userEvent.selectOptions(
      await screen.findByLabelText('API key'),
      'none',
    );
    await userEvent.click(screen.getByLabelText(/Straight to the model/));
    expect(screen.queryByLabelText('API key')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(
      await screen.findByLabelText('Response status 401'),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText('Gateway refusal')).not.toBeInTheDocument();
    expect(api.testModel.mock.calls[0][1]).toEqual(
      expect.not.objectContaining({ withoutApiKey: true }),
    );
    expect(api.testModel.mock.calls[0][1]).toMatchObject({
      target: 'in-cluster',
    });
  });
});

describe('TestConsoleContent: OpenAI models', () => {
  it('streams a chat answer and renders the assembled tokens', async () => {
    const api = fakeInferenceApi({
      getPublication: jest.fn(async () =>
        publication({
          modelType: 'openai',
          model: 'qwen-chat',
          publicModelName: 'qwen',
          apiKeys: [key],
        }),
      ),
      // The backend relays the model's events as they arrive: each one reaches onChunk in turn.
      streamTestModel: jest.fn(async (_model, _request, onChunk) => {
        const chunks = [
          JSON.stringify({
            choices: [{ index: 0, delta: { role: 'assistant' } }],
          }),
          sse('Hello'),
          sse(', I can'),
          sse(' answer questions.'),
          JSON.stringify({
            choices: [],
            usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
          }),
          '[DONE]',
        ];
        for (const chunk of chunks) {
          await new Promise(r => setTimeout(r, 1));
          onChunk(chunk);
        }
        return {
          status: 200,
          latencyMs: 812,
          headers: { 'content-type': 'text/event-stream' },
          body: undefined,
          chunks,
          usage: { promptTokens: 5, completionTokens: 6, totalTokens: 11 },
        };
      }),
    });
    await renderForModel(<TestConsoleContent />, {
      api,
      entity: modelEntity('qwen-chat', {
        modelType: 'openai',
        framework: 'huggingface',
      }),
    });
    expect(await screen.findByLabelText('Protocol')).toHaveValue('openai-chat');
    const presets = within(screen.getByLabelText('Preset'))
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(presets).toEqual([
      'Simple chat',
      'System prompt',
      'Creative writing',
    ]);
    await userEvent.selectOptions(
      screen.getByLabelText('Preset'),
      'system-prompt',
    );
    const body = JSON.parse(
      (screen.getByLabelText('Request body (JSON)') as HTMLTextAreaElement)
        .value,
    );
    expect(body).toMatchObject({
      model: 'qwen',
      max_tokens: 200,
      temperature: 0.3,
    });
    expect(body.messages[0].role).toBe('system');

    await userEvent.click(screen.getByLabelText('Stream the answer'));
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Streamed answer')).toHaveTextContent(
        'Hello, I can answer questions.',
      ),
    );
    expect(
      await screen.findByText('Tokens: 5 prompt, 6 completion, 11 total'),
    ).toBeInTheDocument();
    expect(api.testModel).not.toHaveBeenCalled();
    expect(api.streamTestModel.mock.calls[0][1]).toMatchObject({
      protocol: 'openai-chat',
      target: 'gateway',
      stream: true,
    });
  });
});

describe('TestConsoleContent: requests that cannot be sent or fail', () => {
  it('refuses to send invalid JSON and shows why', async () => {
    const api = fakeInferenceApi();
    await renderForModel(<TestConsoleContent />, { api });
    const editor = await screen.findByLabelText('Request body (JSON)');
    await userEvent.clear(editor);
    await userEvent.type(editor, '{{"instances": ');
    expect(screen.getByText(/^Not valid JSON/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
  });

  it("shows the backend's error when the test call fails", async () => {
    const api = apiFailing(
      'testModel',
      409,
      'The publication has no API key; create one first',
    );
    await renderForModel(<TestConsoleContent />, { api });
    await userEvent.click(await screen.findByRole('button', { name: 'Send' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('409 Conflict');
    expect(alert).toHaveTextContent(
      'The publication has no API key; create one first',
    );
  });
});
