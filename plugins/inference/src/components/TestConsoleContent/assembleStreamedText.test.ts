import { assembleStreamedText } from './assembleStreamedText';

describe('assembleStreamedText', () => {
  it('joins chat deltas and completion texts in order, skipping role, usage, junk and [DONE]', () => {
    expect(
      assembleStreamedText([
        JSON.stringify({ choices: [{ delta: { role: 'assistant' } }] }),
        JSON.stringify({ choices: [{ delta: { content: 'Hel' } }] }),
        JSON.stringify({ choices: [{ delta: { content: 'lo' } }] }),
        'not json',
        JSON.stringify({ choices: [{ text: ', world' }] }),
        JSON.stringify({ choices: [], usage: { total_tokens: 7 } }),
        '[DONE]',
      ]),
    ).toBe('Hello, world');
  });
});
