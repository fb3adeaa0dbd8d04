import { gatewayRefusal } from './gatewayRefusal';

describe('gatewayRefusal', () => {
  it("explains a 429 with the key's quota, window and reset from Envoy's headers", () => {
    expect(
      gatewayRefusal({
        status: 429,
        headers: {
          'x-ratelimit-limit': '5, 5;w=60, 3600;w=3600',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': '42',
        },
      }),
    ).toBe(
      "The gateway rate-limited the call: the key's limit is 5 per 60 s; the window resets in 42 s.",
    );
  });

  it('still says what a 429 is when the headers are absent or unreadable', () => {
    expect(
      gatewayRefusal({ status: 429, headers: { 'x-ratelimit-limit': 'x' } }),
    ).toBe('The gateway rate-limited the call.');
  });

  it('explains 401, 403 and 404, and leaves the answers of the model alone', () => {
    expect(gatewayRefusal({ status: 401, headers: {} })).toMatch(/API key/);
    expect(gatewayRefusal({ status: 403, headers: {} })).toMatch(/authorized/);
    expect(gatewayRefusal({ status: 404, headers: {} })).toMatch(/No route/);
    expect(gatewayRefusal({ status: 200, headers: {} })).toBeUndefined();
    expect(gatewayRefusal({ status: 500, headers: {} })).toBeUndefined();
  });
});
