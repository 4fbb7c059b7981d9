// The scale scenario (org.mlskit.group.ScaleBench; JMH's ScaleOpsBench on the JVM) in a TeaVM
// output of the harness, in Node: one commit adding N - 1 members, then a join from its Welcome.
//
//   node=$(js-bindings/scripts/node24.sh)
//   /usr/bin/time -v "$node" --max-old-space-size=4096 js-bindings/scripts/scale-bench.mjs \
//       [--target wasm-gc|js] [--members 1000,10000]
import { loadHarness } from '../src/test/js/harness.mjs';
import { option as opt } from './bench-node.mjs';

const target = opt('target', 'wasm-gc');
const sizes = opt('members', '1000,10000').split(',').map(Number);
const h = await loadHarness(target);
for (const members of sizes) {
  const line = h.scaleBench(members);
  const rss = Math.round(process.memoryUsage().rss / 1048576);
  console.log(`${target} members=${members} ${line} (ms) rss=${rss} MiB`);
}
