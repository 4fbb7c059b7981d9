// The scale scenario (org.mlskit.group.ScaleBench; JMH's ScaleOpsBench on the JVM) in a TeaVM
// output of the harness, in Node: one commit adding N - 1 members, then a join from its Welcome
// (verifier key caches emptied first). Prints wall-clock and process CPU milliseconds per step
// (CPU time is the figure to read on a machine other work keeps busy) and the peak RSS so far.
//
//   node=$(js-bindings/scripts/node24.sh)
//   /usr/bin/time -v "$node" js-bindings/scripts/scale-bench.mjs [--target wasm-gc|js] [--members 1000,10000]
import { loadHarness } from '../src/test/js/harness.mjs';
import { option as opt } from './bench-node.mjs';

const target = opt('target', 'wasm-gc');
const sizes = opt('members', '1000,10000').split(',').map(Number);
const h = await loadHarness(target);

function timed(step) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  step();
  const c = process.cpuUsage(c0);
  return `${Math.round(performance.now() - t0)} ms (cpu ${Math.round((c.user + c.system) / 1000)})`;
}

for (const members of sizes) {
  const setup = timed(() => h.scaleBuild(members));
  const add = timed(() => h.scaleAdd());
  h.scalePrepareJoin();
  const join = timed(() => h.scaleJoin());
  const peak = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`${target} members=${members} setup=${setup} add=${add} join=${join} peak-rss=${peak} MiB`);
}
