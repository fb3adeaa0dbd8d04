import { BackendChoice, BackendSetting, chooseBackend } from './backends';

/** A valid backendRef setting (FQDN Backend) with its weight and priority. */
function setting(
  index: number,
  weight: number,
  extra: Partial<BackendSetting> & { addressType?: 'FQDN' | 'IP' } = {},
): BackendSetting {
  const { addressType = 'FQDN', ...rest } = extra;
  return {
    index,
    ref: { name: `b${index}` },
    weight,
    priority: 0,
    hasFilters: false,
    state: {
      type: 'valid',
      hostname: `b${index}.ns.svc.cluster.local`,
      port: 80,
      addressType,
    },
    ...rest,
  };
}

const invalid = (index: number, weight: number): BackendSetting => ({
  ...setting(index, weight),
  state: { type: 'invalid', reason: 'backend ns/x not found' },
});

/** How often each outcome comes out over `n` evenly spread random values. */
function outcomes(
  settings: BackendSetting[],
  hasHosts: (hostname: string) => boolean = () => true,
  n = 1000,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const choice: BackendChoice = chooseBackend(
      settings,
      s => hasHosts(s.state.hostname),
      () => (i + 0.5) / n,
    );
    const key =
      choice.type === 'backend' ? choice.setting.ref.name : choice.type;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('chooseBackend (Envoy Gateway v1.9.0 weights)', () => {
  it('splits by weight exactly over evenly spread values', () => {
    expect(outcomes([setting(0, 80), setting(1, 20)])).toEqual({
      b0: 800,
      b1: 200,
    });
  });

  it('defaults to equal shares and leaves weight 0 out', () => {
    expect(outcomes([setting(0, 1), setting(1, 0), setting(2, 1)])).toEqual({
      b0: 500,
      b2: 500,
    });
  });

  it('answers the rule with 500 when no valid weight remains', () => {
    expect(outcomes([setting(0, 0), setting(1, 0)])).toEqual({
      noValidBackend: 1000,
    });
    expect(outcomes([invalid(0, 5), setting(1, 0)])).toEqual({
      noValidBackend: 1000,
    });
    expect(outcomes([])).toEqual({ noValidBackend: 1000 });
  });

  it("gives an invalid backendRef's weight to invalid-backend-cluster", () => {
    expect(outcomes([setting(0, 3), invalid(1, 1)])).toEqual({
      b0: 750,
      invalidBackend: 250,
    });
  });

  it('sends to the highest priority with hosts, in one cluster', () => {
    const fallback = setting(1, 99, { priority: 1 });
    expect(outcomes([setting(0, 1), fallback])).toEqual({ b0: 1000 });
    // The primary's name does not resolve: its locality has no host.
    expect(
      outcomes([setting(0, 1), fallback], h => !h.startsWith('b0.')),
    ).toEqual({ b1: 1000 });
    expect(outcomes([setting(0, 1), fallback], () => false)).toEqual({
      noHealthyUpstream: 1000,
    });
  });

  it('keeps the weights, priorities aside, when each backend has its own cluster', () => {
    // A filter on a backendRef, or FQDN mixed with IP endpoints.
    const withFilters = setting(1, 1, { priority: 1, hasFilters: true });
    expect(outcomes([setting(0, 1), withFilters])).toEqual({
      b0: 500,
      b1: 500,
    });
    const ip = setting(1, 1, { priority: 1, addressType: 'IP' });
    expect(outcomes([setting(0, 1), ip])).toEqual({ b0: 500, b1: 500 });
    // A picked cluster without a host answers 503.
    expect(outcomes([setting(0, 1), ip], h => !h.startsWith('b1.'))).toEqual({
      b0: 500,
      noHealthyUpstream: 500,
    });
  });
});
