// Tree benchmarks (org.mlskit.vectors.TreeBench, the scenario JMH's TreeOpsBench measures on the
// JVM) inside a TeaVM output of the harness, in Node, printed as markdown tables: the tree hash
// after one leaf change, UpdatePath creation and processing, per tree shape and size, with the
// public-key operations each performs, and the primitive floor measured in the same process.
//
//   node=$(js-bindings/scripts/node24.sh)
//   "$node" js-bindings/scripts/tree-bench.mjs [--target wasm-gc|js] [--budget MS] [--rounds N]
//       [--leaves 10,100,1000,10000] [--shapes updated,adds] [--out FILE]
//
// Per case: warm-up calls of one timed run each (for at least 300 ms, at least two), then --rounds
// (default 3) calls of as many timed runs as fit in --budget ms (default 1000; at least 1 run),
// each after one untimed run. "mean" is the mean of the rounds' µs/op, "best" the fastest round.
// The floor, measured before and after the tree cases: PrimitiveBench's seal/open/sign/verify/dh,
// and TreeBench's derive-key-pair and hpke-open (with the recipient's public key supplied, which is
// how TreeKEM's decryptPath opens).
import { loadHarness } from '../src/test/js/harness.mjs';
import { fmt, measurer } from './bench-util.mjs';
import { option as opt, reporter } from './bench-node.mjs';

const target = opt('target', 'wasm-gc');
const budgetMs = Number(opt('budget', 1000));
const rounds = Number(opt('rounds', 3));
const sizes = opt('leaves', '10,100,1000,10000').split(',').map(Number);
const shapes = opt('shapes', 'updated,adds').split(',');
const out = opt('out', null);
const OPS = ['tree-hash', 'create-path', 'process-path'];
const measure = measurer(budgetMs, rounds);

const h = await loadHarness(target);
const { print, start, end } = reporter(target);
const FLOOR = [
  ['HPKE seal (EncryptWithLabel, suite 1)', (n) => h.bench('hpke-seal', '1', n)],
  ['HPKE open (DecryptWithLabel, suite 1)', (n) => h.bench('hpke-open', '1', n)],
  ['HPKE open with the public key given (as TreeKEM)', (n) => h.treeBench('hpke-open', 'adds', 2, n)],
  ['DeriveKeyPair (X25519)', (n) => h.treeBench('derive-key-pair', 'adds', 2, n)],
  ['sign (Ed25519)', (n) => h.bench('sign', 'ED25519', n)],
  ['verify (Ed25519)', (n) => h.bench('verify', 'ED25519', n)],
  ['DH (X25519, variable base)', (n) => h.bench('dh', 'X25519', n)],
];
const floorRuns = () => FLOOR.map(([, call]) => measure(call));

start();
// The floor is measured before and after the tree cases: the machine's speed can drift in between.
const floorBefore = floorRuns();
print('');
print('| shape | leaves | build ms | operation | mean | best | runs/round | seal | open | derive | sign | verify |');
print('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const shape of shapes) {
  for (const leaves of sizes) {
    const buildMs = h.treeBenchBuild(shape, leaves);
    for (const op of OPS) {
      const counts = Object.fromEntries(h.treeBenchOps(op, shape, leaves).split(' ').map((kv) => kv.split('=')));
      const m = measure((n) => h.treeBench(op, shape, leaves, n));
      print(`| ${shape} | ${leaves} | ${buildMs.toFixed(0)} | ${op} | ${fmt(m.mean)} | ${fmt(m.best)} | ${m.iterations} `
        + `| ${counts.seal} | ${counts.open} | ${counts.derive} | ${counts.sign} | ${counts.verify} |`);
    }
  }
}
const floorAfter = floorRuns();

print('');
print('Primitive floor in the same process, before and after the tree cases (µs/op):');
print('');
print('| primitive | mean before | best before | mean after | best after |');
print('|---|---:|---:|---:|---:|');
FLOOR.forEach(([name], i) => {
  const [b, a] = [floorBefore[i], floorAfter[i]];
  print(`| ${name} | ${b.mean.toFixed(1)} | ${b.best.toFixed(1)} | ${a.mean.toFixed(1)} | ${a.best.toFixed(1)} |`);
});
print('');
end(out);
