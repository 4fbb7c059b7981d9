// SFrame (sfu-keying) in the TeaVM output named by MLSKIT_TARGET: both vector files in full,
// the frame cipher and the MLS key manager through the harness exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadHarness, moduleRoot, target } from './harness.mjs';

const h = await loadHarness();

/**
 * An SFrame vector file from sfu-keying's test resources (the files the JVM tests read). KID and
 * CTR go up to 2^64-1, beyond what a JS number holds: they are quoted before JSON.parse so that
 * the Java side parses the exact decimal text.
 */
function sframeFile(name) {
  const text = readFileSync(path.join(moduleRoot, '../sfu-keying/src/test/resources/vectors/sframe', name), 'utf8');
  return JSON.parse(text.replace(/"(kid|ctr)"\s*:\s*(\d+)/g, '"$1":"$2"'));
}

const FILES = {
  'test-vectors.json': { header: 289, aes_ctr_hmac: 3, aes_256_ctr_hmac: 3, sframe: 5 },
  'test-vectors-aes256.json': { sframe_aes_256_ctr_hmac: 3 },
};

for (const [file, sections] of Object.entries(FILES)) {
  test(`${file}: every entry of every section passes on the ${target} target`, () => {
    const data = sframeFile(file);
    assert.deepEqual(Object.keys(data).sort(), Object.keys(sections).sort(), 'sections');
    for (const [section, count] of Object.entries(sections)) {
      assert.equal(data[section].length, count, `${section}: entries in the file`);
      const r = h.sframeVerifyVectors(section, data[section]);
      assert.equal(r.failed, 0, r.summary);
      assert.equal(r.passed, count, `${section}: passed`);
    }
  });
}

test(`64-bit header values survive the quoting exactly on the ${target} target`, () => {
  const data = sframeFile('test-vectors.json');
  const big = data.header.filter((e) => BigInt(e.kid) > 2n ** 53n || BigInt(e.ctr) > 2n ** 53n);
  assert.equal(big.length, 93);
  assert.ok(data.header.some((e) => e.kid === '18446744073709551615'));
});

test(`a wrong expected value is a failure, an unknown section a typed error, on the ${target} target`, () => {
  const r = h.sframeVerifyVectors('header', [{ kid: '0', ctr: '0', encoded: '01' }]);
  assert.equal(r.failed, 1);
  assert.equal(r.passed, 0);
  assert.throws(() => h.sframeVerifyVectors('nope', []), (e) => e.code === 'UNSUPPORTED');
  assert.equal(h.sframeVectorSections(), 'header,aes_ctr_hmac,aes_256_ctr_hmac,sframe,sframe_aes_256_ctr_hmac');
});

test(`a call over a real three-member mls-core group, every suite, on the ${target} target`, () => {
  for (let suite = 1; suite <= 8; suite++) {
    assert.match(h.sframeCallCheck(suite), /: 6 frames heard, epochs 1-3, removal ok$/);
  }
});

const bytes = (s) => new TextEncoder().encode(s);
const text = (b) => new TextDecoder().decode(new Uint8Array(b.buffer, b.byteOffset, b.length));
const code = (c) => (e) => e.name === 'SFrameError' && e.code === c;

test(`the frame cipher: round trip, tampering, replay, roles on the ${target} target`, () => {
  const base = bytes('0123456789abcdef');
  for (let suite = 1; suite <= 8; suite++) {
    const tx = h.sframeContextCreate(suite, 128);
    const rx = h.sframeContextCreate(suite, 128);
    h.sframeContextAddSendKey(tx, '18446744073709551615', base);
    h.sframeContextAddReceiveKey(rx, '18446744073709551615', base);
    const md = bytes('metadata');
    const f0 = h.sframeContextEncrypt(tx, '18446744073709551615', md, bytes('frame zero'));
    const f1 = h.sframeContextEncrypt(tx, '18446744073709551615', md, bytes('frame one'));
    assert.equal(f0[0] & 0xff, 0xf0, 'config byte: 8-byte KID, CTR 0');
    assert.equal(text(h.sframeContextDecrypt(rx, md, f1)), 'frame one');
    assert.throws(() => h.sframeContextDecrypt(rx, md, f1), code('REPLAY'));
    const bad = Uint8Array.from(f0);
    bad[bad.length - 1] ^= 1;
    assert.throws(() => h.sframeContextDecrypt(rx, md, bad), code('AUTHENTICATION_FAILED'));
    assert.throws(() => h.sframeContextDecrypt(rx, bytes('other'), f0), code('AUTHENTICATION_FAILED'));
    assert.throws(() => h.sframeContextDecrypt(rx, md, f0.subarray(0, 5)), code('MALFORMED'));
    assert.equal(text(h.sframeContextDecrypt(rx, md, f0)), 'frame zero');
    assert.throws(() => h.sframeContextDecrypt(tx, md, f0), code('UNKNOWN_KEY'));
    assert.throws(() => h.sframeContextEncrypt(rx, '18446744073709551615', md, bytes('x')), code('UNKNOWN_KEY'));
    assert.throws(() => h.sframeContextEncrypt(tx, '18446744073709551616', md, bytes('x')), code('INVALID_ARGUMENT'));
    h.sframeRelease(tx);
    h.sframeRelease(rx);
    assert.throws(() => h.sframeContextDecrypt(rx, md, f0), code('INVALID_ARGUMENT'));
  }
  assert.throws(() => h.sframeContextCreate(9, 128), code('UNSUPPORTED'));
});

test(`the MLS key manager: KIDs, epochs, grace period, removal on the ${target} target`, async () => {
  assert.equal(h.sframeExporterLabel(), 'SFrame 1.0 Base Key');
  const suite = 4;
  assert.equal(h.sframeBaseKeyLength(suite), 16);
  const epoch1 = bytes('exporter epoch 1'); // stands in for MLS-Exporter output of 16 bytes
  const epoch2 = bytes('exporter epoch 2');
  const members = [0, 1, 2];
  const k = members.map(() => h.sframeKeysCreate(suite, 4, 1000, 128));
  members.forEach((leaf) => h.sframeKeysInstallEpoch(k[leaf], '1', epoch1, leaf, Int32Array.from(members)));
  assert.equal(h.sframeKeysCurrentEpoch(k[0]), '1');
  const audio = h.sframeKeysOpenStream(k[0]);
  const video = h.sframeKeysOpenStream(k[0]);
  assert.equal(h.sframeStreamContextId(video), '1');
  const md = new Uint8Array(0);
  const a1 = h.sframeStreamEncrypt(audio, md, bytes('audio 1'));
  const v1 = h.sframeStreamEncrypt(video, md, bytes('video 1'));
  const old = h.sframeStreamEncrypt(audio, md, bytes('late audio'));
  const tooLate = h.sframeStreamEncrypt(video, md, bytes('too late'));
  for (const r of [1, 2]) {
    assert.equal(text(h.sframeKeysDecrypt(k[r], md, a1)), 'audio 1');
    assert.deepEqual(JSON.parse(h.sframeKeysLastFrame(k[r])), { epoch: '1', senderLeaf: 0, contextId: '0', kid: '1', ctr: '0' });
    assert.equal(text(h.sframeKeysDecrypt(k[r], md, v1)), 'video 1');
    assert.equal(JSON.parse(h.sframeKeysLastFrame(k[r])).kid, String((1 << 6) | 1));
    assert.throws(() => h.sframeKeysDecrypt(k[r], md, a1), code('REPLAY'));
  }
  assert.throws(() => h.sframeKeysDecrypt(k[0], md, a1), code('UNKNOWN_KEY'));
  // leaf 2 is removed: the others move to epoch 2, leaf 2 does not get its key
  for (const leaf of [0, 1]) {
    h.sframeKeysInstallEpoch(k[leaf], '2', epoch2, leaf, Int32Array.from([0, 1]));
  }
  const a2 = h.sframeStreamEncrypt(audio, md, bytes('audio 2'));
  assert.equal(text(h.sframeKeysDecrypt(k[1], md, a2)), 'audio 2');
  assert.equal(JSON.parse(h.sframeKeysLastFrame(k[1])).kid, '2', 'S = 1 now, epoch bits 2');
  assert.throws(() => h.sframeKeysDecrypt(k[2], md, a2), code('UNKNOWN_KEY'));
  assert.equal(text(h.sframeKeysDecrypt(k[1], md, old)), 'late audio', 'the previous epoch within the grace period');
  assert.throws(() => h.sframeKeysInstallEpoch(k[1], '1', epoch1, 1, Int32Array.from([0, 1])), code('INVALID_STATE'));
  // frames of epoch 1 are refused once its grace period of 1 s has run out
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.throws(() => h.sframeKeysDecrypt(k[1], md, tooLate), code('EXPIRED_EPOCH'));
  assert.equal(text(h.sframeKeysDecrypt(k[1], md, h.sframeStreamEncrypt(video, md, bytes('video 2')))), 'video 2');
  k.forEach((x) => h.sframeRelease(x));
});
