// mlskit/call's own SFrame on WebCrypto (src/main/js/call/sframe-core.js, key-ring.js): the RFC
// 9605 header vectors in full, the AES-GCM suites' vectors, strict header parsing. Plain JS, so
// it does not depend on the TeaVM target; the package tests check it against sfu-keying.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { moduleRoot } from './harness.mjs';
import { encodeHeader, deriveKeySalt, importBaseKey, suiteOf, FrameError } from '../../main/js/call/sframe-core.js';
import { decodeHeader, sealFrame, openFrame } from './sframe-reference.mjs';

const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function vectors() {
  const text = readFileSync(path.join(moduleRoot, '../sfu-keying/src/test/resources/vectors/sframe/test-vectors.json'), 'utf8');
  // KID and CTR go up to 2^64-1: quoted before JSON.parse, then read as BigInt
  return JSON.parse(text.replace(/"(kid|ctr)"\s*:\s*(\d+)/g, '"$1":"$2"'));
}

function rejects(code) {
  return (e) => {
    assert.ok(e instanceof FrameError, `expected a FrameError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return true;
  };
}

test('every header vector encodes and decodes exactly (289 entries, 93 beyond 2^53)', () => {
  const { header } = vectors();
  assert.equal(header.length, 289);
  let big = 0;
  for (const v of header) {
    const kid = BigInt(v.kid);
    const ctr = BigInt(v.ctr);
    if (kid > 2n ** 53n || ctr > 2n ** 53n) big++;
    assert.equal(toHex(encodeHeader(kid, ctr)), v.encoded, `kid ${kid} ctr ${ctr}`);
    const d = decodeHeader(hex(v.encoded + 'ff'));
    assert.equal(d.kid, kid);
    assert.equal(d.ctr, ctr);
    assert.equal(d.length, v.encoded.length / 2);
  }
  assert.equal(big, 93);
});

test('truncated and non-minimal headers are MALFORMED', () => {
  assert.throws(() => decodeHeader(new Uint8Array(0)), rejects('MALFORMED'));
  assert.throws(() => decodeHeader(hex('8901')), rejects('MALFORMED')); // KID byte present, CTR byte missing
  assert.throws(() => decodeHeader(hex('8805')), rejects('MALFORMED')); // KID 5 must live in the config byte
  assert.throws(() => decodeHeader(hex('980012')), rejects('MALFORMED')); // leading zero byte
  assert.throws(() => encodeHeader(-1n, 0n), rejects('INVALID_ARGUMENT'));
  assert.throws(() => encodeHeader(0n, 1n << 64n), rejects('INVALID_ARGUMENT'));
});

test('the AES-GCM suites (4 and 5) match the RFC vectors: key, salt, ciphertext, and decrypt', async () => {
  const gcm = vectors().sframe.filter((v) => v.cipher_suite === 4 || v.cipher_suite === 5);
  assert.equal(gcm.length, 2);
  for (const v of gcm) {
    const suite = suiteOf(v.cipher_suite);
    const raw = hex(v.base_key);
    const base = await importBaseKey(raw);
    assert.ok(raw.every((b) => b === 0), 'the raw base key is wiped once imported');
    const ks = await deriveKeySalt(base, BigInt(v.kid), suite);
    assert.equal(toHex(ks.salt), v.sframe_salt);
    assert.equal(ks.key.extractable, false);
    // the key is checked through its output: the ciphertext must be the vector's
    const ct = await sealFrame(ks, BigInt(v.kid), BigInt(v.ctr), hex(v.metadata), hex(v.pt));
    assert.equal(toHex(ct), v.ct, `suite ${v.cipher_suite}`);
    const h = decodeHeader(ct);
    assert.equal(toHex(await openFrame(ks, h, hex(v.metadata), ct, suite)), v.pt);
    const bad = ct.slice();
    bad[bad.length - 1] ^= 1;
    await assert.rejects(openFrame(ks, h, hex(v.metadata), bad, suite), rejects('AUTHENTICATION_FAILED'));
    await assert.rejects(openFrame(ks, h, hex('00'), ct, suite), rejects('AUTHENTICATION_FAILED'));
    await assert.rejects(openFrame(ks, h, hex(v.metadata), ct.subarray(0, h.length + 15), suite), rejects('MALFORMED'));
  }
});

test('suites WebCrypto cannot do are UNSUPPORTED, a base key of the wrong length INVALID_ARGUMENT', async () => {
  for (const id of [1, 2, 3, 6, 7, 8, 9]) assert.throws(() => suiteOf(id), rejects('UNSUPPORTED'));
  await assert.rejects(importBaseKey(new Uint8Array(15), 16), rejects('INVALID_ARGUMENT'));
  await assert.rejects(importBaseKey(new Uint8Array(0)), rejects('INVALID_ARGUMENT'));
});
