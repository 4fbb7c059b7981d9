// Measuring helpers shared by the benchmark scripts (tree-bench.mjs, group-bench.mjs, sframe-bench.mjs).
import { writeFileSync } from 'node:fs';
import os from 'node:os';

/** Formats microseconds per operation. */
export const fmt = (us) => (us >= 1000 ? (us / 1000).toFixed(2) + ' ms' : us.toFixed(us >= 100 ? 0 : us >= 10 ? 1 : 2) + ' µs');

/**
 * A measure(call) function: call(n) runs n timed operations and returns µs/op. Warm-up: single
 * runs until 300 ms have passed (at least two), so V8's optimising tier has compiled the code;
 * the last one sets the run count. Then `rounds` calls of as many runs as fit in `budgetMs`.
 * "mean" is the mean of the rounds' µs/op, "best" the fastest round.
 */
export function measurer(budgetMs, rounds) {
  return function measure(call) {
    let estimate;
    const t0 = performance.now();
    for (let i = 0; i < 2 || performance.now() - t0 < 300; i++) {
      estimate = call(1);
    }
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

/** The value given as `--name VALUE` on the command line, or `dflt`. */
export function option(name, dflt, args = process.argv.slice(2)) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
}

/**
 * The printer the bench scripts share: print(line) echoes and keeps each line; start() prints the
 * machine line (Node, target, CPUs, load average, time); end(out) prints the closing load average
 * and writes every line to `out` when given.
 */
export function reporter(target) {
  const lines = [];
  const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  const print = (s) => {
    lines.push(s);
    console.log(s);
  };
  return {
    print,
    start: () => print(`Node ${process.version}, TeaVM ${target} output, ${os.cpus().length} CPUs, load average ${loadavg()}, ${new Date().toISOString()}`),
    end: (out) => {
      print(`load average at the end: ${loadavg()}, ${new Date().toISOString()}`);
      if (out) {
        writeFileSync(out, lines.join('\n') + '\n');
      }
    },
  };
}
