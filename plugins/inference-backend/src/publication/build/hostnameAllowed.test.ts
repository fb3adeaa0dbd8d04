import { hostnameAllowed } from './hostnameAllowed';

describe('hostnameAllowed', () => {
  const allowList = ['api.router.inference-in-a-box', '*.inference-in-a-box'];

  it.each([
    ['api.router.inference-in-a-box', true],
    ['llm.inference-in-a-box', true],
    ['LLM.Inference-In-A-Box', true],
    ['llm.inference-in-a-box.', true],
    ['a.b.inference-in-a-box', false],
    ['inference-in-a-box', false],
    ['.inference-in-a-box', false],
    ['evilinference-in-a-box', false],
    ['llm.inference-in-a-box.evil.com', false],
    ['*.inference-in-a-box', false],
    ['other.router.inference-in-a-box', false],
    ['', false],
  ])('%p -> %p', (hostname, expected) => {
    expect(hostnameAllowed(hostname, allowList)).toBe(expected);
  });

  it('allows nothing with an empty list', () => {
    expect(hostnameAllowed('api.example.com', [])).toBe(false);
  });

  it('ignores malformed wildcard entries', () => {
    expect(hostnameAllowed('a.example.com', ['*.'])).toBe(false);
    expect(hostnameAllowed('a.example.com', ['*.*.com'])).toBe(false);
    expect(hostnameAllowed('a.example.com', ['a.*.com'])).toBe(false);
  });
});
