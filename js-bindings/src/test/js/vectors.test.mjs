import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHarness, vectorFile, target } from './harness.mjs';

const h = await loadHarness();

const types = h.vectorTypes().split(',');

test(`the ${target} target verifies every vector type the JVM does`, () => {
  assert.deepEqual(types, ['tree-math', 'crypto-basics', 'deserialization', 'secret-tree', 'key-schedule', 'psk_secret', 'messages', 'transcript-hashes', 'tree-validation', 'tree-operations', 'treekem', 'welcome']);
});

for (const type of types) {
  test(`${type}.json passes in full on the ${target} target`, () => {
    const entries = vectorFile(type);
    const r = h.verifyVectors(type, entries);
    console.log(r.summary);
    assert.equal(r.failed, 0, r.summary);
    assert.equal(r.passed, entries.length, 'every entry must be checked');
    if (!['tree-math', 'deserialization', 'messages', 'tree-operations'].includes(type)) {
      for (let suite = 1; suite <= 7; suite++) {
        assert.match(r.summary, new RegExp(`suite ${suite}: [1-9][0-9]* passed, 0 failed`));
      }
    }
  });
}

test(`a wrong expected value is reported as a failure on the ${target} target`, () => {
  const r = h.verifyVectors('deserialization', [{ vlbytes_header: '4040', length: 65 }]);
  assert.equal(r.failed, 1);
  assert.equal(r.passed, 0);
});

test(`an unknown vector type is a typed error on the ${target} target`, () => {
  assert.throws(() => h.verifyVectors('no-such-type', []), (e) => e.code === 'UNSUPPORTED');
});
