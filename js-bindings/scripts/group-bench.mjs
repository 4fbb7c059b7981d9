// Group benchmarks (org.mlskit.vectors.GroupBench, the scenario JMH's GroupOpsBench measures on
// the JVM) inside a TeaVM output of the harness, in Node, printed as a markdown table.
//
//   node=$(js-bindings/scripts/node24.sh)
//   "$node" js-bindings/scripts/group-bench.mjs [--target wasm-gc|js] [--budget MS] [--rounds N]
//       [--members 10,100,1000,10000] [--shapes updated,adds] [--out FILE]
import { loadHarness } from '../src/test/js/harness.mjs';
import { fmt, measurer } from './bench-util.mjs';
import { option as opt, reporter } from './bench-node.mjs';

const target = opt('target', 'wasm-gc');
const measure = measurer(Number(opt('budget', 1000)), Number(opt('rounds', 3)));
const sizes = opt('members', '10,100,1000,10000').split(',').map(Number);
const shapes = opt('shapes', 'updated,adds').split(',');
const out = opt('out', null);
const OPS = ['commit-create', 'commit-process', 'add', 'remove', 'join', 'encrypt', 'encrypt-decrypt'];

const h = await loadHarness(target);
const { print, start, end } = reporter(target);
start();
print('');
print('| shape | members | build ms | operation | mean | best | runs/round |');
print('|---|---:|---:|---|---:|---:|---:|');
const sizeLines = [];
for (const shape of shapes) {
  for (const members of sizes) {
    const buildMs = h.groupBenchBuild(shape, members);
    for (const op of OPS) {
      const m = measure((n) => h.groupBench(op, shape, members, n));
      print(`| ${shape} | ${members} | ${buildMs.toFixed(0)} | ${op} | ${fmt(m.mean)} | ${fmt(m.best)} | ${m.iterations} |`);
    }
    sizeLines.push(`${shape} members=${members} ${h.groupBenchSizes(shape, members)}`);
  }
}
print('');
print('Message sizes (bytes): ' + sizeLines.join('; '));
end(out);
