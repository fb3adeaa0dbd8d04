import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import type { TestInvocationResult } from '@inference-in-a-box/backstage-plugin-inference-common';
import type { ChunkListener, InvocationSource } from './invocationSource';
import { TestConsole } from './TestConsole';

const delta = (content: string) =>
  JSON.stringify({ choices: [{ delta: { content } }] });

describe('TestConsole with a source that streams', () => {
  it('shows the text received so far while the answer is still streaming', async () => {
    let push: ChunkListener = () => {};
    let finish: (result: TestInvocationResult) => void = () => {};
    const source: InvocationSource = (_request, onChunk) => {
      push = onChunk;
      return new Promise(resolve => {
        finish = resolve;
      });
    };
    await renderInTestApp(
      <TestConsole
        modelType="openai"
        requestModelName="qwen"
        gatewayReady
        permission={{ loading: false, allowed: true }}
        source={source}
      />,
    );
    await userEvent.click(screen.getByLabelText('Stream the answer'));
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();

    act(() => push(delta('Once')));
    expect(await screen.findByText(/receiving…/)).toBeInTheDocument();
    expect(screen.getByLabelText('Streamed answer')).toHaveTextContent('Once');
    act(() => push(delta(' upon a time')));
    expect(await screen.findByText('Once upon a time')).toBeInTheDocument();

    await act(async () =>
      finish({
        status: 200,
        latencyMs: 5,
        headers: {},
        body: [],
        chunks: [delta('Once'), delta(' upon a time')],
      }),
    );
    expect(
      await screen.findByLabelText('Response status 200'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Streamed answer')).toHaveTextContent(
      'Once upon a time',
    );
    expect(screen.queryByText(/receiving…/)).not.toBeInTheDocument();
  });
});
