// Measuring helpers shared by the benchmark scripts (tree-bench.mjs, group-bench.mjs, sframe-bench.mjs)
// and the package's bench page in Chromium (e2e-tests/pages/package/group-bench.js), so nothing
// here may import a Node module; the Node-only helpers are in bench-node.mjs.

/** Formats microseconds per operation. */
export const fmt = (us) => (us >= 1000 ? (us / 1000).toFixed(2) + ' ms' : us.toFixed(us >= 100 ? 0 : us >= 10 ? 1 : 2) + ' µs');

/**
 * A measure(call) function: call(n) runs n timed operations and returns µs/op. Warm-up: single
 * runs until 300 ms have passed (at least two), so V8's optimising tier has compiled the code;
 * their mean sets the run count. Then `rounds` calls of as many runs as fit in `budgetMs`.
 * "mean" is the mean of the rounds' µs/op, "best" the fastest round.
 */
export function measurer(budgetMs, rounds) {
  return function measure(call) {
    // The estimate is the mean over ~300 ms of single calls, not the last one: one slow call (a
    // GC pause) would leave a round of a handful of iterations that a coarse browser clock
    // (100 µs) times as 0.
    let calls = 0;
    const t0 = performance.now();
    while (calls < 2 || performance.now() - t0 < 300) {
      call(1);
      calls++;
    }
    const estimate = ((performance.now() - t0) * 1000) / calls;
    const iterations = Math.max(1, Math.round((budgetMs * 1000) / Math.max(estimate, 0.001)));
    const results = [];
    for (let r = 0; r < rounds; r++) {
      results.push(call(iterations));
    }
    return {
      mean: results.reduce((a, b) => a + b, 0) / results.length,
      best: Math.min(...results),
      iterations,
    };
  };
}
