import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHarness, target } from './harness.mjs';

const h = await loadHarness();

test(`a 50,000-member ratchet tree encodes, decodes, hashes and validates on the ${target} target`, () => {
  // Leaf signatures are random bytes here (signing 50,000 leaves in the JS target takes minutes);
  // the JVM test LargeTreeTest checks the same shape with real signatures.
  const bytes = h.largeTree(50_000);
  assert.ok(bytes > 50_000 * 100, `encoding of ${bytes} bytes`);
});
