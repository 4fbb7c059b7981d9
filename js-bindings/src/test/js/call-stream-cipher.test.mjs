// The KeyRing's per-frame path (src/main/js/call/stream-cipher.js) against the reference codec of
// sframe-core.js: header bytes, nonces and header parsing with Number counters, the replay
// window, and the counter's limit. The package tests run the whole KeyRing against sfu-keying.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { moduleRoot } from './harness.mjs';
import { encodeHeader, FrameError } from '../../main/js/call/sframe-core.js';
import { decodeHeader } from './sframe-reference.mjs';
import { SendStream, ReceiveStream, ReplayWindow, parseHeader, MAX_CTR } from '../../main/js/call/stream-cipher.js';

const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));

function headerVectors() {
  const text = readFileSync(path.join(moduleRoot, '../sfu-keying/src/test/resources/vectors/sframe/test-vectors.json'), 'utf8');
  return JSON.parse(text.replace(/"(kid|ctr)"\s*:\s*(\d+)/g, '"$1":"$2"')).header;
}

function rejects(code) {
  return (e) => {
    assert.ok(e instanceof FrameError, `expected a FrameError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

const salt = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i * 7);

function referenceNonce(ctr) {
  const n = salt.slice();
  let v = BigInt(ctr);
  for (let i = 11; i >= 0 && v > 0n; i--, v >>= 8n) n[i] ^= Number(v & 0xffn);
  return n;
}

async function stream(kid) {
  const s = new SendStream(kid, Promise.resolve({ key: {}, salt: salt.slice() }));
  await s.ready;
  return s;
}

const COUNTERS = [0, 1, 7, 8, 9, 255, 256, 65535, 65536, 2 ** 24 - 1, 2 ** 24, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 3, 2 ** 48, MAX_CTR - 1];

test('header parsing with Number counters agrees with the reference on every RFC header vector', () => {
  let bigKids = 0;
  let bigCtrs = 0;
  for (const v of headerVectors()) {
    const bytes = hex(v.encoded + 'ff');
    const ref = decodeHeader(bytes);
    const h = parseHeader(bytes);
    assert.equal(h.length, ref.length);
    assert.equal(BigInt(h.kid), ref.kid);
    assert.equal(typeof h.kid, ref.kid < 2n ** 48n ? 'number' : 'bigint', 'one KID value, one type');
    if (ref.ctr <= BigInt(MAX_CTR)) {
      assert.equal(h.ctr, Number(ref.ctr));
    } else {
      assert.equal(h.ctr, ref.ctr); // left a BigInt: the KeyRing refuses it as MALFORMED
      bigCtrs++;
    }
    if (typeof h.kid === 'bigint') bigKids++;
  }
  assert.ok(bigKids > 0 && bigCtrs > 0, 'the vectors reach the BigInt forms');
  assert.throws(() => parseHeader(new Uint8Array(0)), rejects('MALFORMED'));
  assert.throws(() => parseHeader(hex('8901')), rejects('MALFORMED'));
  assert.throws(() => parseHeader(hex('8805')), rejects('MALFORMED'));
  assert.throws(() => parseHeader(hex('980012')), rejects('MALFORMED'));
  assert.throws(() => parseHeader(hex('0e00112233445566')), rejects('MALFORMED')); // 7-byte CTR with a leading zero
});

test('a stream writes the reference header and nonce at every counter width, metadata after the header', async () => {
  for (const kid of [0n, 7n, 8n, 300n, (1n << 40n) + 5n, (1n << 64n) - 1n]) {
    const s = await stream(kid);
    for (const ctr of COUNTERS) {
      const want = encodeHeader(kid, BigInt(ctr));
      const out = new Uint8Array(want.length + 2);
      assert.equal(s.writeHeader(out, 2, ctr), want.length);
      assert.equal(toHex(out.subarray(2)), toHex(want), `kid ${kid} ctr ${ctr}`);
      const meta = Uint8Array.of(1, 2, 3);
      assert.equal(toHex(s.aad(ctr, meta)), toHex(want) + '010203');
      assert.equal(toHex(s.nonce(ctr)), toHex(referenceNonce(ctr)), `nonce at ${ctr}`);
      const h = parseHeader(want);
      assert.equal(h.ctr, ctr);
    }
  }
  // a receiving stream: the same nonces, AAD = header | metadata
  const r = new ReceiveStream(9n, 0, 0n, { key: {}, salt: salt.slice() }, 64);
  for (const ctr of COUNTERS) assert.equal(toHex(r.nonce(ctr)), toHex(referenceNonce(ctr)));
  assert.equal(toHex(r.aad(Uint8Array.of(9), Uint8Array.of(4, 5))), '090405');
  r.erase();
  assert.ok(r.salt.every((b) => b === 0) && r.key === null, 'erase wipes the salt and drops the key');
});

test('counters are taken in order before any await and stop at 2^53 - 1 (COUNTER_EXHAUSTED)', async () => {
  const s = await stream(1n);
  assert.deepEqual([s.take(), s.take(), s.take()], [0, 1, 2]);
  s.ctr = MAX_CTR - 1;
  assert.equal(s.take(), MAX_CTR - 1);
  assert.throws(() => s.take(), rejects('COUNTER_EXHAUSTED'));
  assert.throws(() => s.take(), rejects('COUNTER_EXHAUSTED'));
  s.erase();
  assert.ok(s.erased && s.key === null && s.salt === null);
  // keys that arrive after erasure are wiped, not installed
  const ks = { key: {}, salt: salt.slice() };
  let release;
  const late = new SendStream(2n, new Promise((r) => { release = r; }));
  late.erase();
  release(ks);
  await late.ready;
  assert.equal(late.key, null);
  assert.ok(ks.salt.every((b) => b === 0));
});

test('the replay window: new counters pass, repeats and counters older than the window are REPLAY', () => {
  const w = new ReplayWindow(32);
  w.check(5);
  w.accept(5);
  assert.throws(() => w.check(5), rejects('REPLAY'));
  w.check(3); // below the highest, not seen
  w.accept(3);
  assert.throws(() => w.check(3), rejects('REPLAY'));
  w.accept(40); // moves the window: 8 and below are now too old
  assert.throws(() => w.check(8), rejects('REPLAY'));
  w.check(9);
  w.check(39);
  w.accept(2 ** 40); // a jump clears the bitmap
  w.check(2 ** 40 - 1);
  assert.throws(() => w.check(2 ** 40), rejects('REPLAY'));
  w.accept(MAX_CTR);
  assert.throws(() => w.check(MAX_CTR), rejects('REPLAY'));
  w.check(MAX_CTR - 31);
  assert.throws(() => w.check(MAX_CTR - 32), rejects('REPLAY'));
});
