import { ConfigReader } from '@backstage/config';
import { DEFAULT_SCHEDULE, readProviderConfig } from './readProviderConfig';

describe('readProviderConfig', () => {
  it('syncs every 5 minutes by default, once per interval across backend replicas', () => {
    expect(readProviderConfig(new ConfigReader({})).schedule).toEqual(
      DEFAULT_SCHEDULE,
    );
    expect(DEFAULT_SCHEDULE.scope).toBe('global');
  });

  it('reads the configured schedule, global unless it names a scope', () => {
    const schedule = (value: object) =>
      readProviderConfig(
        new ConfigReader({
          catalog: { providers: { inference: { schedule: value } } },
        }),
      ).schedule;
    expect(
      schedule({ frequency: { seconds: 30 }, timeout: { seconds: 20 } }),
    ).toMatchObject({
      frequency: { seconds: 30 },
      timeout: { seconds: 20 },
      scope: 'global',
    });
    expect(
      schedule({
        frequency: { seconds: 30 },
        timeout: { seconds: 20 },
        scope: 'local',
      }).scope,
    ).toBe('local');
  });
});
