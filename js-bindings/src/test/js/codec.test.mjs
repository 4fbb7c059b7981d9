import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadHarness, target } from './harness.mjs';

const h = await loadHarness();
const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

const cases = [
  ['u32', '000000', 'TRUNCATED'],
  ['varint', '', 'TRUNCATED'],
  ['varint', '40', 'TRUNCATED'],
  ['opaque', '0501020304', 'LENGTH_BEYOND_INPUT'],
  ['opaque', 'bfffffff', 'LENGTH_BEYOND_INPUT'], // 2^30 - 1 bytes announced: must not allocate
  ['opaque', '4001' + '00', 'NON_MINIMAL_LENGTH'],
  ['opaque', '80000001' + '00', 'NON_MINIMAL_LENGTH'],
  ['varint', 'c0000000', 'INVALID_LENGTH'],
  ['opaque', '0100ff', 'TRAILING_DATA'],
  ['optional', '02', 'INVALID_VALUE'],
  ['vectors', '03' + '02' + '0500', 'LENGTH_BEYOND_INPUT'],
  ['vectors', '04' + '05' + '00', 'LENGTH_BEYOND_INPUT'],
];

for (const [op, input, reason] of cases) {
  test(`${op}(${input || 'empty'}) is MALFORMED:${reason} on the ${target} target`, () => {
    assert.equal(h.decode(op, hex(input)), `MALFORMED:${reason}`);
  });
}

test(`well-formed input decodes on the ${target} target`, () => {
  assert.equal(h.decode('opaque', hex('03010203')), 'ok');
  assert.equal(h.decode('optional', hex('00')), 'ok');
  assert.equal(h.decode('vectors', hex('06' + '02' + '0100' + '02' + '0100')), 'ok');
});

test(`random bytes give a value or a typed error, never another exception, on the ${target} target`, () => {
  // Seeded xorshift so a failure replays.
  let s = 0x9e3779b9;
  const next = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s >>> 0; };
  let malformed = 0;
  for (let i = 0; i < 5000; i++) {
    const data = Uint8Array.from({ length: next() % 24 }, () => next() & 0xff);
    for (const op of ['opaque', 'optional', 'vectors']) {
      const r = h.decode(op, data);
      assert.ok(r === 'ok' || r.startsWith('MALFORMED:'), `${op} gave ${r}`);
      if (r !== 'ok') malformed++;
    }
  }
  assert.ok(malformed > 0);
});

test(`out-of-range array reads never pass silently on the ${target} target`, () => {
  // JS target (TeaVM strict): a Java ArrayIndexOutOfBoundsException the code can catch.
  // wasm-gc: TeaVM 0.15 bounds-checks with a wasm trap, which aborts the call with a RuntimeError.
  for (const index of [4, -1]) {
    if (target === 'js') {
      assert.equal(h.boundsChecked(index), true);
    } else {
      assert.throws(() => h.boundsChecked(index), WebAssembly.RuntimeError);
    }
  }
  assert.equal(h.boundsChecked(0), false);
});
