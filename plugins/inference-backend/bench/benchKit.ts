/* eslint-disable no-console */

/** Rate caps no benchmark reaches: they measure the backend, not the per-user caps on a burst. */
export const UNCAPPED = {
  testInvocations: { requests: 1_000_000 },
  mutations: { requests: 1_000_000 },
};

export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs a benchmark's main and exits with its outcome (the backend's timers would keep it alive). */
export function runBenchmark(main: () => Promise<void>) {
  main().then(
    () => process.exit(0),
    error => {
      console.error(error);
      process.exit(1);
    },
  );
}
