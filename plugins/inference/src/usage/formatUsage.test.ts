import {
  errorCount,
  formatDuration,
  formatLatency,
  headroomLevel,
  headroomPercent,
  idTail,
  timeTicks,
  unavailableReason,
} from './formatUsage';

describe('formatUsage', () => {
  it('says how much of a limit is used, and how close to it that is', () => {
    expect(headroomPercent({ used: 2, max: 5 })).toBe(40);
    expect(headroomLevel({ used: 2, max: 5 })).toBe('ok');
    expect(headroomPercent({ used: 8, max: 10 })).toBe(80);
    expect(headroomLevel({ used: 8, max: 10 })).toBe('near');
    expect(headroomLevel({ used: 10, max: 10 })).toBe('exhausted');
    // The rate limit service counts refused hits too: a key can be past its limit.
    expect(headroomPercent({ used: 15, max: 5 })).toBe(300);
    expect(headroomLevel({ used: 15, max: 5 })).toBe('exhausted');
  });

  it('writes latencies, steps and key ids short', () => {
    expect(formatLatency(84.4)).toBe('84 ms');
    expect(formatLatency(1250)).toBe('1.25 s');
    expect(formatLatency(12_500)).toBe('12.5 s');
    expect(formatLatency(undefined)).toBe('n/a');
    expect(formatDuration(60)).toBe('1 min');
    expect(formatDuration(900)).toBe('15 min');
    expect(formatDuration(7200)).toBe('2 h');
    expect(idTail('key-0a1b2c3d4e5f')).toBe('3d4e5f');
  });

  it('puts round local times on the time axis', () => {
    const at = (h: number, m: number) => new Date(2026, 0, 5, h, m).getTime();
    expect(timeTicks('1h', at(9, 7), at(10, 7))).toEqual(
      [10, 20, 30, 40, 50].map(m => at(9, m)).concat(at(10, 0)),
    );
    expect(timeTicks('24h', at(9, 7), at(9, 7) + 86_400_000)).toEqual(
      [12, 15, 18, 21, 24, 27, 30, 33].map(h => at(h, 0)),
    );
    expect(timeTicks('7d', at(9, 7), at(9, 7) + 7 * 86_400_000)).toHaveLength(
      7,
    );
  });

  it("reads the reasons of unavailable figures and counts a key's errors", () => {
    const usage = {
      unavailable: [{ figure: 'keys', reason: 'Only OpenAI routes.' }],
    };
    expect(unavailableReason(usage, 'keys')).toBe('Only OpenAI routes');
    expect(unavailableReason(usage, 'requests.unauthorized')).toBeUndefined();
    expect(errorCount({ '2xx': 5, error: 2 })).toBe(2);
    expect(errorCount({ '2xx': 5, '4xx': 3, '5xx': 1 })).toBe(4);
  });
});
