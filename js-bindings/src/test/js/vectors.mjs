// The official vector files against one TeaVM output, split into shards so that the node:test
// runner can check them in parallel processes (the JS target is slow on curve arithmetic).
// Every entry of every file is checked by exactly one shard; the shards together cover all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHarness, vectorFile, target } from './harness.mjs';

export const EXPECTED_TYPES = ['tree-math', 'crypto-basics', 'deserialization', 'secret-tree', 'key-schedule', 'psk_secret',
  'messages', 'transcript-hashes', 'tree-validation', 'tree-operations', 'treekem', 'welcome', 'message-protection',
  'passive-client-welcome', 'passive-client-handling-commit', 'passive-client-random'];

/** Registers the vector tests of shard {@code shard} of {@code shards}. */
export async function vectorTests(shard, shards) {
  const h = await loadHarness();
  const types = h.vectorTypes().split(',');

  test(`the ${target} target verifies every vector type the JVM does`, () => {
    assert.deepEqual(types, EXPECTED_TYPES);
  });

  for (const type of types) {
    test(`${type}.json shard ${shard + 1}/${shards} passes on the ${target} target`, () => {
      const all = vectorFile(type);
      const mine = all.filter((_, i) => i % shards === shard);
      const r = h.verifyVectors(type, mine);
      console.log(r.summary);
      assert.equal(r.failed, 0, r.summary);
      assert.equal(r.passed, mine.length, 'every entry must be checked');
    });
  }
  return h;
}
