import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHarness, target } from './harness.mjs';

const h = await loadHarness();

// The tree benchmark scenario (org.mlskit.vectors.TreeBench) performs the same public-key
// operations here as on the JVM (TreeBenchTest): 10 leaves, so 4 nodes on the filtered direct path.
for (const [shape, seals] of [['updated', 4], ['adds', 9]]) {
  test(`tree benchmark operations on a 10-member tree (${shape}) on the ${target} target`, () => {
    assert.equal(h.treeBenchOps('tree-hash', shape, 10), 'seal=0 open=0 derive=0 sign=0 verify=0');
    assert.equal(h.treeBenchOps('create-path', shape, 10), `seal=${seals} open=0 derive=5 sign=1 verify=0`);
    assert.equal(h.treeBenchOps('process-path', shape, 10), 'seal=0 open=1 derive=4 sign=0 verify=1');
    const us = h.treeBench('tree-hash', shape, 10, 3);
    assert.ok(us > 0 && Number.isFinite(us), `tree-hash took ${us} µs/op`);
  });
}
