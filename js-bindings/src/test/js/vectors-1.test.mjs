import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vectorFile, target } from './harness.mjs';
import { vectorTests, EXPECTED_TYPES } from './vectors.mjs';

const h = await vectorTests(0, 2);

// The official tree-operations and passive-client-random files are suite 1 only.
const SINGLE_SUITE_FILES = ['tree-operations', 'passive-client-random'];

test('the files that have cipher suites cover all seven', () => {
  for (const type of EXPECTED_TYPES) {
    const suites = new Set(vectorFile(type).map((e) => e.cipher_suite).filter((s) => s !== undefined));
    if (SINGLE_SUITE_FILES.includes(type)) {
      assert.deepEqual([...suites], [1], type);
    } else if (suites.size > 0) {
      assert.deepEqual([...suites].sort(), [1, 2, 3, 4, 5, 6, 7], type);
    }
  }
});

test(`a wrong expected value is reported as a failure on the ${target} target`, () => {
  const r = h.verifyVectors('deserialization', [{ vlbytes_header: '4040', length: 65 }]);
  assert.equal(r.failed, 1);
  assert.equal(r.passed, 0);
});

test(`an unknown vector type is a typed error on the ${target} target`, () => {
  assert.throws(() => h.verifyVectors('no-such-type', []), (e) => e.code === 'UNSUPPORTED');
});
