import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadHarness, target } from './harness.mjs';

const h = await loadHarness();

test(`randomness comes from crypto.getRandomValues on the ${target} target`, () => {
  const original = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
  let calls = 0;
  globalThis.crypto.getRandomValues = (a) => { calls++; return original(a); };
  try {
    const a = h.randomBytes(100_000); // more than one 64 KiB getRandomValues call
    const b = h.randomBytes(32);
    assert.equal(a.length, 100_000);
    assert.equal(b.length, 32);
    assert.ok(calls >= 3, `getRandomValues called ${calls} times`);
    assert.notDeepEqual(Array.from(a.slice(0, 32)), Array.from(b));
  } finally {
    globalThis.crypto.getRandomValues = original;
  }
});

test(`without crypto.getRandomValues the ${target} target fails with NO_SECURE_RANDOM`, () => {
  const child = fileURLToPath(new URL('./no-crypto-child.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [child], { env: { ...process.env, MLSKIT_TARGET: target }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^NO_SECURE_RANDOM NO_SECURE_RANDOM$/m);
});
