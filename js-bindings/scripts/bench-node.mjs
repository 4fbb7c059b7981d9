// Command-line helpers of the Node benchmark scripts (Node only; bench-util.mjs also runs in browsers).
import { writeFileSync } from 'node:fs';
import os from 'node:os';

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
